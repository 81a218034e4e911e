package io.listenq.exporter.http;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connector lets a client hold. Two limits Jetty's own settings do not give:
 * <ul>
 *   <li>a cap on open connections, where the connection over the cap is closed at once (Jetty's
 *       NetworkConnectionLimit stops accepting instead, which leaves the excess, and every real scraper behind it,
 *       waiting in the kernel's accept queue). So that a flood of connections that never send a request (slowloris)
 *       cannot lock real scrapers out, a new connection at the cap first evicts the oldest connection that has not
 *       yet delivered its first request header; only when there is none is the new one closed;
 *   <li>a deadline for a whole request header, and for the first request of a connection: the idle timeout is reset
 *       by every byte, so a client sending one header line every 25 s would otherwise hold its connection (and
 *       its parser) for hours.
 * </ul>
 * Each limit logs one line when it starts biting and one when it stops, never one per connection.
 */
final class ConnectionGuard implements SelectorManager.AcceptListener, Connection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    /** How often open connections are checked against the header deadline. */
    private static final long SWEEP_MILLIS = 500;

    private final int maxConnections;
    private final long headerDeadlineNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Set<SelectableChannel> rejected = ConcurrentHashMap.newKeySet();
    /** Open HTTP/1 connections and, per connection, since when it is waiting for the header it is on. */
    private final Map<HttpConnection, Waiting> connections = new ConcurrentHashMap<>();
    /** Connections in the order they opened; those that got a request or closed are skipped when polled. */
    private final ConcurrentLinkedQueue<HttpConnection> byAge = new ConcurrentLinkedQueue<>();

    private final AtomicLong evicted = new AtomicLong();
    private final ScheduledExecutorService sweeper;
    private volatile boolean capBiting;
    private long lastRefusedLogged;

    /** A connection waiting for request {@code message} (messages received so far) since {@code sinceNanos}. */
    private record Waiting(long message, long sinceNanos) {}

    ConnectionGuard(int maxConnections, Duration headerDeadline) {
        this.maxConnections = maxConnections;
        this.headerDeadlineNanos = headerDeadline.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("listenq-http-deadline").daemon(true).factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The server's one connector, TLS when the web config says so, with both limits installed and buffers sized for
     * scrapes. Jetty's per-connection header cache is off: it is an ArrayTrie of about 35 KiB per connection (1,000
     * connections held 98.8 MB of char[] in a heap histogram and ended the process), and it only saves parsing
     * header names, which costs nothing at scrape rates.
     */
    ServerConnector connector(
            Server server, HttpConfiguration http, WebServer.Settings settings, WebSecurity security) {
        http.setHeaderCacheSize(0);
        // The default 8 KiB: Prometheus sends a few hundred bytes, a browser with cookies a few KiB.
        http.setRequestHeaderSize(8192);
        http.setSendServerVersion(false);
        HttpConnectionFactory plain;
        ServerConnector c;
        if (security.tls()) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Prometheus often scrapes by IP while the certificate names a host: Go does not compare the Host
            // header with the certificate either.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            plain = new HttpConnectionFactory(https);
            c = new ServerConnector(server, new SslConnectionFactory(security.sslContextFactory(), "http/1.1"), plain);
        } else {
            plain = new HttpConnectionFactory(http);
            c = new ServerConnector(server, plain);
        }
        // Requests are GETs without a body: a 4 KiB read buffer (Jetty's default is 16 KiB) holds a scrape's header.
        plain.setInputBufferSize(4096);
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(settings.idleTimeout().toMillis());
        c.setAcceptQueueSize(settings.acceptQueueSize());
        c.getSelectorManager().addEventListener(this);
        c.addEventListener(this);
        return c;
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        if (open.incrementAndGet() <= maxConnections) {
            return;
        }
        if (evictOneWithoutRequest()) {
            return; // the evicted one's close gives its slot back
        }
        open.decrementAndGet();
        rejected.add(channel);
        refused.incrementAndGet();
        IO.close(channel); // registering it now fails: Jetty counts it as a failed accept (logged at debug only)
        if (!capBiting) {
            capBiting = true;
            LOG.warn(
                    "--web.max-connections={} reached: closing new connections at once until some close",
                    maxConnections);
        }
    }

    private boolean evictOneWithoutRequest() {
        HttpConnection c;
        while ((c = byAge.poll()) != null) {
            if (connections.containsKey(c)
                    && c.getMessagesIn() == 0
                    && c.getParser().inHeaderState()) {
                evicted.incrementAndGet();
                c.getEndPoint().close();
                return true;
            }
        }
        return false;
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        if (!rejected.remove(channel)) {
            open.decrementAndGet();
        }
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        open.decrementAndGet();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            connections.put(http, new Waiting(0, System.nanoTime()));
            byAge.add(http);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            connections.remove(http);
        }
    }

    /**
     * Closes connections that have been on one request header for longer than the deadline: the first request of a
     * connection counts from the connection's open, a later one from the first sweep that saw its header begun.
     * A keep-alive connection idle between requests (parser at START after a message) is left to the idle timeout.
     * The parser's state is read without its lock: a stale read only delays the close by one sweep.
     */
    private void sweep() {
        try {
            long now = System.nanoTime();
            byAge.removeIf(c -> !connections.containsKey(c) || c.getMessagesIn() > 0);
            connections.replaceAll((c, w) -> {
                long message = c.getMessagesIn();
                HttpParser p = c.getParser();
                boolean waiting = p.inHeaderState() && (message == 0 || !p.isStart());
                if (!waiting) {
                    return new Waiting(-1, now);
                }
                if (w.message() != message) {
                    return new Waiting(message, message == 0 ? w.sinceNanos() : now);
                }
                if (now - w.sinceNanos() > headerDeadlineNanos) {
                    timedOut.incrementAndGet();
                    c.getEndPoint().close();
                }
                return w;
            });
            logCapRelief();
        } catch (RuntimeException e) {
            LOG.error("header deadline sweep failed (will retry)", e);
        }
    }

    private void logCapRelief() {
        if (capBiting && open.get() < maxConnections) {
            capBiting = false;
            long r = refused.get();
            LOG.info(
                    "--web.max-connections={}: accepting again ({} connections closed at once so far)",
                    maxConnections,
                    r - lastRefusedLogged);
            lastRefusedLogged = r;
        }
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    long evicted() {
        return evicted.get();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
