package io.listenq.exporter;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.http.LandingPage;
import io.listenq.exporter.http.WebSecurity;
import io.listenq.exporter.http.WebServer;
import io.listenq.exporter.metrics.BuildInfo;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.metrics.SelfMetrics;
import io.listenq.exporter.sample.Sampler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running daemon: sampler, registry and HTTP server, started and stopped together. */
public final class Exporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final Sampler sampler;
    private final WebServer web;
    private final SelfMetrics self;
    private volatile boolean closed;

    private Exporter(Sampler sampler, WebServer web, SelfMetrics self) {
        this.sampler = sampler;
        this.web = web;
        this.self = self;
    }

    public static Exporter start(Config config) throws Exception {
        BuildInfo build = Version.buildInfo();
        String version = build.version();
        // First, before any thread or socket exists: a bad web config must stop the start with its own line.
        WebSecurity security = config.webConfigFile().isPresent()
                ? WebSecurity.load(config.webConfigFile().get())
                : WebSecurity.none();
        PrometheusRegistry registry = new PrometheusRegistry();
        Sampler sampler = Sampler.create(config);
        ListenqCollector collector = new ListenqCollector(sampler::current, build);
        registry.register(collector);

        // process_*, jvm_* and Micrometer's timers of our own rounds and scrapes, in the same registry.
        SelfMetrics self = SelfMetrics.register(registry);
        // After each round, on the sampler thread: the self-metrics first (so the bytes include that round), then the
        // exposition encoded ahead of the scrapes expected before the next round. The JVM/process meters in a scrape
        // are as of that encode: at most one --sample.interval old for a regular scraper (ExpositionCache). The
        // sampler starts before the web server is built (Jetty's classes load meanwhile); until it exists, nothing
        // can scrape.
        AtomicReference<WebServer> exposition = new AtomicReference<>();
        sampler.observe((snapshot, ran) -> {
            self.roundEnded(snapshot, ran);
            WebServer w = exposition.get();
            if (w != null) {
                w.encodeAhead();
            }
        });
        sampler.start();
        WebServer web = WebServer.builder(
                        WebServer.Settings.of(
                                        config.listenAddress().bindHost(),
                                        config.listenAddress().port(),
                                        config.telemetryPath(),
                                        config.maxConcurrentScrapes())
                                .withMaxConnections(config.maxConnections()),
                        security,
                        registry)
                .generation(sampler::current)
                .rows(collector::rows, ListenqCollector.rowFamilyNames())
                .probes(new WebServer.Probes(sampler::healthy, sampler::ready))
                .observer(self)
                .landingPage(() -> LandingPage.render(version, config, sampler.modeDescription(), sampler.current()))
                .listeners(sampler::current)
                .build();
        exposition.set(web);
        // before the port opens: whoever sees it answer may send SIGHUP, and the JVM's default action for an
        // unhandled SIGHUP is to exit
        ReloadSignal.install(security);
        try {
            web.start();
        } catch (RuntimeException e) {
            sampler.close();
            throw new IllegalStateException("cannot listen on " + config.listenAddress() + ": " + rootMessage(e), e);
        }
        LOG.info(
                "listenq-exporter {} listening on {} ({}, telemetry path {}, netns mode {}, interval {}, "
                        + "web config {})",
                version,
                config.listenAddress(),
                security.tls() ? "https" : "http",
                config.telemetryPath(),
                sampler.modeDescription(),
                Durations.format(config.sampleInterval()),
                security.describe());
        return new Exporter(sampler, web, self);
    }

    public int port() {
        return web.port();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /**
     * Stops in dependency order: HTTP first (no scrape can see a half-closed sampler), then the sampler thread,
     * which closes every netlink socket and namespace fd it holds as it exits. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long start = System.nanoTime();
        LOG.info("shutting down");
        web.close();
        sampler.close();
        self.close();
        LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
