package io.listenq.exporter.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Handler;
import io.javalin.util.JavalinLogger;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side: {@code /} landing page, the telemetry path, {@code /-/healthy} and {@code /-/ready}. A scrape
 * sends the exposition {@link ExpositionCache} encoded (and gzipped) ahead of it, when the sampler published its
 * snapshot ({@link #encodeAhead()}); at most {@code maxConcurrentScrapes} run at once ({@link ScrapeHandler}). Every request first passes {@link WebSecurity} (headers, basic auth);
 * the one connector is TLS when the web config says so.
 */
public final class WebServer implements AutoCloseable {
    /**
     * Request threads: 10 scrapes, 4 password checks waiting for bcrypt plus the queue in front of them, probes and
     * the landing page. A flood of requests queues in Jetty (cheaply) instead of costing a thread stack each.
     */
    static final int MAX_THREADS = 48;

    private final Javalin app;
    private final ConnectionGuard guard;
    private final ExpositionCache cache;

    /**
     * @param idleTimeout     how long a connection may sit without any I/O, mid-request or between requests, before
     *                        Jetty closes it: bounds what a slow or stalled client holds
     * @param acceptQueueSize listen() backlog of the exporter's own socket; the kernel clamps it to
     *                        net.core.somaxconn (net/socket.c __sys_listen)
     * @param maxConnections  open connections; one more is closed at once (see {@link ConnectionGuard})
     * @param headerTimeout   deadline for a whole request header, and for a connection's first one from its open
     */
    public record Settings(
            String host,
            int port,
            String telemetryPath,
            int maxConcurrentScrapes,
            Duration idleTimeout,
            int acceptQueueSize,
            int maxConnections,
            Duration headerTimeout) {
        /** 30 s: three times Prometheus' default scrape timeout, far above any real scrape here. */
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        /**
         * 1024: a burst of scrapers (or a scan) must not overflow the exporter's own accept queue while it
         * measures everyone else's; above 4096 (the default somaxconn since Linux 5.4) the kernel clamps anyway.
         */
        public static final int DEFAULT_ACCEPT_QUEUE = 1024;

        /**
         * 2500: measured (docs/security.md) at about 3.6 KiB of live heap per open connection waiting for its header,
         * on top of about 7 MiB with no connection; 2,500 of them take about 9 MiB, which the smallest heap we allow
         * for (-Xmx32m, whose old generation is about 21 MiB) still holds beside a scrape's buffers. Far above any real
         * number of scrapers, and above the 2,000 concurrent clients the stress test sends.
         */
        public static final int DEFAULT_MAX_CONNECTIONS = 2500;
        /** 10 s: a scraper sends its whole header in one packet; a tenth of a second would do on any network. */
        public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

        /**
         * Every limit at its default ({@code DEFAULT_*}); the {@code with...} copies change one each (the accept queue
         * only through the canonical constructor: nothing sets it).
         */
        public static Settings of(String host, int port, String telemetryPath, int maxConcurrentScrapes) {
            return new Settings(
                    host,
                    port,
                    telemetryPath,
                    maxConcurrentScrapes,
                    DEFAULT_IDLE_TIMEOUT,
                    DEFAULT_ACCEPT_QUEUE,
                    DEFAULT_MAX_CONNECTIONS,
                    DEFAULT_HEADER_TIMEOUT);
        }

        public Settings withIdleTimeout(Duration idle) {
            return new Settings(
                    host,
                    port,
                    telemetryPath,
                    maxConcurrentScrapes,
                    idle,
                    acceptQueueSize,
                    maxConnections,
                    headerTimeout);
        }

        public Settings withMaxConnections(int max) {
            return new Settings(
                    host, port, telemetryPath, maxConcurrentScrapes, idleTimeout, acceptQueueSize, max, headerTimeout);
        }

        public Settings withHeaderTimeout(Duration header) {
            return new Settings(
                    host,
                    port,
                    telemetryPath,
                    maxConcurrentScrapes,
                    idleTimeout,
                    acceptQueueSize,
                    maxConnections,
                    header);
        }
    }

    /** What {@code /-/healthy} and {@code /-/ready} answer. */
    public record Probes(BooleanSupplier healthy, BooleanSupplier ready) {
        public static final Probes ALWAYS = new Probes(() -> true, () -> true);
    }

    /**
     * A server for {@code settings}, behind {@code security}, exposing {@code registry}; every other part has a
     * default, which {@link Builder}'s setters name.
     */
    public static Builder builder(Settings settings, WebSecurity security, PrometheusRegistry registry) {
        return new Builder(settings, security, registry);
    }

    /** The optional parts of a {@link WebServer}; each setter says what its default means. */
    public static final class Builder {
        private final Settings settings;
        private final WebSecurity security;
        private final PrometheusRegistry registry;
        private Supplier<?> generation = () -> null;
        private Probes probes = Probes.ALWAYS;
        private ScrapeObserver observer = ScrapeObserver.NONE;
        private Supplier<String> landingPage = () -> "";
        private Supplier<Snapshot> listeners;
        private Supplier<RowFamilies> rows;
        private Set<String> rowNames = Set.of();

        private Builder(Settings settings, WebSecurity security, PrometheusRegistry registry) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.security = Objects.requireNonNull(security, "security");
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * The instance the registry's data comes from (the sampler's current snapshot): encoded bytes are reused
         * while it returns the same one, and a {@code null} from it means encode every time. Default
         * {@code () -> null}: every scrape encodes the registry anew.
         */
        public Builder generation(Supplier<?> generation) {
            this.generation = Objects.requireNonNull(generation, "generation");
            return this;
        }

        /**
         * What {@code /-/healthy} and {@code /-/ready} answer. Default {@link Probes#ALWAYS}: ready at once, healthy
         * unless scrapes keep failing.
         */
        public Builder probes(Probes probes) {
            this.probes = Objects.requireNonNull(probes, "probes");
            return this;
        }

        /**
         * Told about every scrape served or refused (the self-metrics). Default {@link ScrapeObserver#NONE}: nobody
         * is told.
         */
        public Builder observer(ScrapeObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The HTML {@code /} answers, made per request. Default {@code () -> ""}: an empty page. */
        public Builder landingPage(Supplier<String> landingPage) {
            this.landingPage = Objects.requireNonNull(landingPage, "landingPage");
            return this;
        }

        /** The snapshots {@code /api/v1/listeners} serves. Default {@code null}: no such route. */
        public Builder listeners(Supplier<Snapshot> listeners) {
            this.listeners = listeners;
            return this;
        }

        /**
         * Families the registry also has that {@code /metrics} writes from {@code rows} instead (the listener
         * families, {@link RowFamilies}): the cache scrapes the registry without {@code names} and writes the rows
         * in their place. Default: none, everything from the registry.
         */
        public Builder rows(Supplier<RowFamilies> rows, Set<String> names) {
            this.rows = Objects.requireNonNull(rows, "rows");
            this.rowNames = Set.copyOf(names);
            return this;
        }

        /** A server not yet listening: call {@link WebServer#start()}. */
        public WebServer build() {
            return new WebServer(this);
        }
    }

    private WebServer(Builder b) {
        JettyCacheLine.answerForJetty(); // before Jetty's first queue: no JMX MBean server for it
        Settings settings = b.settings;
        WebSecurity security = b.security;
        Probes probes = b.probes;
        Supplier<String> landingPage = b.landingPage;
        Supplier<Snapshot> listeners = b.listeners;
        RequestProblems problems = new RequestProblems();
        ScrapeHealth scrapeHealth = new ScrapeHealth();
        this.cache = new ExpositionCache(
                b.registry, b.generation, new RegistryView.Rows(b.rows, b.rowNames), problems, System::nanoTime);
        Handler metrics = new ScrapeHandler(
                new ScrapeFormat(problems), cache, scrapeHealth, b.observer, settings.maxConcurrentScrapes());
        this.guard = new ConnectionGuard(settings.maxConnections(), settings.headerTimeout());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // The scrape handler sends cached gzip bytes itself; Javalin would otherwise compress every answer again.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            // Few threads are needed (scrapes are bounded by the semaphore, password checks by their own pool); a
            // bounded pool keeps a flood of requests from costing a thread stack each.
            config.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
            config.jetty.addConnector((server, http) -> guard.connector(server, http, settings, security));
            // Anything a handler throws is answered 500 with one line, logged once per kind: never a stack trace
            // per request.
            config.routes.exception(Exception.class, (e, ctx) -> {
                problems.report("request failed: " + e.getClass().getSimpleName(), e);
                ctx.status(500).result("internal error\n");
            });
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
                if (scrapeHealth.failing()) {
                    ctx.status(503)
                            .result("Unhealthy: the last " + ScrapeHealth.FAILING_AFTER
                                    + " or more scrapes failed (see the log)\n");
                } else if (probes.healthy().getAsBoolean()) {
                    ctx.result("Healthy\n");
                } else {
                    ctx.status(503).result("Unhealthy: the sampler has stopped or is stuck (see the log)\n");
                }
            });
            config.routes.get("/-/ready", ctx -> {
                if (probes.ready().getAsBoolean()) {
                    ctx.result("Ready\n");
                } else {
                    ctx.status(503).result("Not ready: no network namespace sampled yet\n");
                }
            });
        });
    }

    public WebServer start() {
        // Javalin logs "Failed to start Javalin" at ERROR before rethrowing (a port in use, say); the caller
        // reports the cause in one line, so that ERROR line would only come first and mislead. Its logging is
        // back on once the server runs.
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

    /**
     * Encodes the exposition of the generation just published, for the scrapes expected before the next one (see
     * {@link ExpositionCache}). Call it on the publishing thread (the sampler's), after each new generation; until the
     * first call, scrapes encode on demand. Never throws.
     */
    public void encodeAhead() {
        cache.encodeAhead();
    }

    @Override
    public void close() {
        app.stop();
        guard.close();
        cache.close();
    }
}
