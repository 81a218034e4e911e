package io.listenq.exporter.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * The HTTP side: {@code /} landing page, the telemetry path, {@code /-/healthy} and {@code /-/ready}. A scrape
 * only serialises the latest snapshot; at most {@code maxConcurrentScrapes} run at once, more get 503 at once
 * rather than queueing behind a slow client. Every request first passes {@link WebSecurity} (headers, basic auth);
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

    public WebServer(Settings settings, WebSecurity security, PrometheusRegistry registry, Probes probes,
                     Supplier<String> landingPage) {
        ExpositionFormats formats = ExpositionFormats.init();
        Semaphore scrapes = new Semaphore(settings.maxConcurrentScrapes());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.addConnector((server, http) -> connector(server, http, settings, security));
            config.routes.before(security::filter);
            config.routes.get("/", ctx -> ctx.html(landingPage.get()));
            config.routes.get(settings.telemetryPath(), ctx -> {
                if (!scrapes.tryAcquire()) {
                    ctx.status(503).result("too many concurrent scrapes\n");
                    return;
                }
                try {
                    scrape(ctx, formats, registry);
                } finally {
                    scrapes.release();
                }
            });
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
            c = new ServerConnector(server, new SslConnectionFactory(security.sslContextFactory(), "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            c = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(settings.idleTimeout().toMillis());
        c.setAcceptQueueSize(settings.acceptQueueSize());
        return c;
    }

    private static void scrape(Context ctx, ExpositionFormats formats, PrometheusRegistry registry)
            throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(ctx.header("Accept"));
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        writer.write(body, registry.scrape());
        ctx.contentType(writer.getContentType());
        ctx.result(body.toByteArray());
    }

    public WebServer start() {
        app.start();
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
