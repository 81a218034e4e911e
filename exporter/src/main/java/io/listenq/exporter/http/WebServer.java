package io.listenq.exporter.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.util.JavalinLogger;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side: {@code /} landing page, the telemetry path, {@code /-/healthy} and {@code /-/ready}. A scrape
 * serves the latest snapshot's exposition, encoded (and gzipped) once per snapshot by {@link ExpositionCache}; at
 * most {@code maxConcurrentScrapes} run at once, writing the body included, more get 503 at once rather than
 * queueing behind a slow client. Every request first passes {@link WebSecurity} (headers, basic auth);
 * the one connector is TLS when the web config says so.
 */
public final class WebServer implements AutoCloseable {
    private final Javalin app;

    /**
     * @param idleTimeout     how long a connection may sit without any I/O, mid-request or between requests, before
     *                        Jetty closes it: bounds what a slow or stalled client holds
     * @param acceptQueueSize listen() backlog of the exporter's own socket; the kernel clamps it to
     *                        net.core.somaxconn (net/socket.c __sys_listen)
     */
    public record Settings(String host, int port, String telemetryPath, int maxConcurrentScrapes,
                           Duration idleTimeout, int acceptQueueSize) {
        /** 30 s: three times Prometheus' default scrape timeout, far above any real scrape here. */
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        /**
         * 1024: a burst of scrapers (or a scan) must not overflow the exporter's own accept queue while it
         * measures everyone else's; above 4096 (the default somaxconn since Linux 5.4) the kernel clamps anyway.
         */
        public static final int DEFAULT_ACCEPT_QUEUE = 1024;

        public Settings(String host, int port, String telemetryPath, int maxConcurrentScrapes) {
            this(host, port, telemetryPath, maxConcurrentScrapes, DEFAULT_IDLE_TIMEOUT, DEFAULT_ACCEPT_QUEUE);
        }
    }

    /** What {@code /-/healthy} and {@code /-/ready} answer. */
    public record Probes(BooleanSupplier healthy, BooleanSupplier ready) {
        public static final Probes ALWAYS = new Probes(() -> true, () -> true);
    }

    /** A server that encodes the registry on every scrape (nothing tells it when the data changes). */
    public WebServer(Settings settings, WebSecurity security, PrometheusRegistry registry, Probes probes,
                     Supplier<String> landingPage) {
        this(settings, security, registry, () -> null, probes, landingPage);
    }

    /**
     * @param generation the instance the registry's data comes from (the sampler's current snapshot): encoded bytes
     *                   are reused while it stays the same; {@code null} means encode every time
     */
    public WebServer(Settings settings, WebSecurity security, PrometheusRegistry registry, Supplier<?> generation,
                     Probes probes, Supplier<String> landingPage) {
        this(settings, security, registry, generation, probes, landingPage, null);
    }

    /** @param listeners the snapshots {@code /api/v1/listeners} serves; null: no such route */
    public WebServer(Settings settings, WebSecurity security, PrometheusRegistry registry, Supplier<?> generation,
                     Probes probes, Supplier<String> landingPage, Supplier<Snapshot> listeners) {
        this(settings, security, registry, generation, probes, ScrapeObserver.NONE, landingPage, listeners);
    }

    /** @param observer told about every scrape served or refused (the self-metrics) */
    public WebServer(Settings settings, WebSecurity security, PrometheusRegistry registry, Supplier<?> generation,
                     Probes probes, ScrapeObserver observer, Supplier<String> landingPage,
                     Supplier<Snapshot> listeners) {
        ExpositionFormats formats = ExpositionFormats.init();
        ExpositionCache cache = new ExpositionCache(registry, generation);
        Semaphore scrapes = new Semaphore(settings.maxConcurrentScrapes());
        Handler metrics = ctx -> {
            if (!scrapes.tryAcquire()) {
                observer.rejected();
                ctx.status(503).result("too many concurrent scrapes\n");
                return;
            }
            try {
                // The write happens here, under the permit: sending 7 MB is the expensive part of a scrape.
                scrape(ctx, formats, cache, observer);
            } finally {
                scrapes.release();
            }
        };
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // The scrape handler sends cached gzip bytes itself; Javalin would otherwise compress every answer again.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.threadPool = threadPool(settings.maxConcurrentScrapes());
            config.jetty.addConnector((server, http) -> connector(server, http, settings, security));
            config.routes.before(security::filter);
            config.routes.get("/", ctx -> ctx.html(landingPage.get()));
            config.routes.get(settings.telemetryPath(), metrics);
            // Javalin answers HEAD for a GET route with an empty 200 without running it; this gives HEAD the real
            // Content-Type and Content-Length (Jetty drops the body bytes).
            config.routes.head(settings.telemetryPath(), metrics);
            if (listeners != null) {
                config.routes.get(ListenersApi.PATH, new ListenersApi(listeners));
            }
            config.routes.get("/-/healthy", ctx -> {
                if (probes.healthy().getAsBoolean()) {
                    ctx.result("Healthy\n");
                } else {
                    ctx.status(503).result("Unhealthy: the sampler has stopped (see the log)\n");
                }
            });
            config.routes.get("/-/ready", ctx -> {
                if (probes.ready().getAsBoolean()) {
                    ctx.result("Ready\n");
                } else {
                    ctx.status(503).result("Not ready: no sample yet\n");
                }
            });
        });
    }

    /**
     * Jetty's threads, sized from --web.max-requests instead of Javalin's 8 to 250: one per concurrent scrape (more
     * are refused with 503 anyway), the connector's acceptor and selector, and {@link #SPARE_THREADS} so that
     * probes and the landing page answer while every scrape permit is taken. Idle threads above the minimum end
     * after 30 s; no reserved threads (they only shave latency off bursts).
     */
    static QueuedThreadPool threadPool(int maxConcurrentScrapes) {
        int max = maxConcurrentScrapes + CONNECTOR_THREADS + SPARE_THREADS;
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(max, CONNECTOR_THREADS + 1), 30_000);
        pool.setReservedThreads(0);
        pool.setName("JettyServerThreadPool");
        return pool;
    }

    /** One acceptor and one selector: an exporter's few scrapers need no more, on any number of cores. */
    private static final int CONNECTOR_THREADS = 2;
    private static final int SPARE_THREADS = 2;

    private static ServerConnector connector(Server server, HttpConfiguration http, Settings settings,
                                             WebSecurity security) {
        ServerConnector c;
        if (security.tls()) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Prometheus often scrapes by IP while the certificate names a host: Go does not compare the Host
            // header with the certificate either.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            c = new ServerConnector(server, 1, 1,
                    new SslConnectionFactory(security.sslContextFactory(), "http/1.1"), new HttpConnectionFactory(https));
        } else {
            c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(settings.idleTimeout().toMillis());
        c.setAcceptQueueSize(settings.acceptQueueSize());
        return c;
    }

    private static void scrape(Context ctx, ExpositionFormats formats, ExpositionCache cache, ScrapeObserver observer)
            throws IOException {
        long start = System.nanoTime();
        ExpositionFormatWriter writer = formats.findWriter(ctx.header("Accept"));
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
        // client_java's name[] filter (?name[]=a&name[]=b): only those families, encoded for this request alone.
        List<String> names = ctx.queryParams("name[]");
        byte[] body = names.isEmpty() ? cache.body(writer, gzip) : cache.filtered(writer, gzip, names);
        HttpServletResponse res = ctx.res();
        res.setContentType(writer.getContentType());
        res.setHeader("Vary", "Accept-Encoding");
        if (gzip) {
            res.setHeader("Content-Encoding", "gzip");
        }
        res.setContentLength(body.length);
        res.getOutputStream().write(body); // for HEAD, Jetty keeps the headers and drops the bytes
        res.flushBuffer(); // blocks until Jetty has handed the bytes to the socket (or its buffer)
        observer.served(formatName(writer), gzip, System.nanoTime() - start);
    }

    /** The {@code format} label of the scrape metrics, from the content type the writer answers with. */
    static String formatName(ExpositionFormatWriter writer) {
        String type = writer.getContentType();
        if (type.startsWith("application/vnd.google.protobuf")) {
            return "protobuf";
        }
        return type.startsWith("application/openmetrics-text") ? "openmetrics" : "text";
    }

    /**
     * Whether an Accept-Encoding value (RFC 9110 section 12.5.3) allows gzip: {@code gzip}, {@code x-gzip} or
     * {@code *} with a non-zero q-value; an explicit {@code gzip;q=0} refuses it even when {@code *} is allowed.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean named = null;
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            boolean allowed = qValue(params) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = named == null ? allowed : named || allowed;
            } else if (coding.equals("*")) {
                star = allowed;
            }
        }
        return named != null ? named : star;
    }

    private static double qValue(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight: not an acceptance we can rely on
                }
            }
        }
        return 1;
    }

    public WebServer start() {
        // Javalin logs "Failed to start Javalin" at ERROR before rethrowing (a port in use, say); the caller
        // reports the cause in one line, so that ERROR line would only come first and mislead. Its logging is
        // back on once the server runs (uncaught handler exceptions are logged through it).
        JavalinLogger.enabled = false;
        try {
            app.start();
        } finally {
            JavalinLogger.enabled = true;
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
