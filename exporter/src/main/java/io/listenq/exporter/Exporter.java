package io.listenq.exporter;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.http.LandingPage;
import io.listenq.exporter.http.WebSecurity;
import io.listenq.exporter.http.WebServer;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.Sampler;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running daemon: sampler, registry and HTTP server, started and stopped together. */
public final class Exporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final Sampler sampler;
    private final WebServer web;
    private final JvmGcMetrics gcMetrics;
    private final PrometheusMeterRegistry meters;
    private volatile boolean closed;

    private Exporter(Sampler sampler, WebServer web, JvmGcMetrics gcMetrics, PrometheusMeterRegistry meters) {
        this.sampler = sampler;
        this.web = web;
        this.gcMetrics = gcMetrics;
        this.meters = meters;
    }

    public static Exporter start(Config config) throws Exception {
        String version = Version.get();
        // First, before any thread or socket exists: a bad web config must stop the start with its own line.
        WebSecurity security = config.webConfigFile().isPresent()
                ? WebSecurity.load(config.webConfigFile().get()) : WebSecurity.none();
        PrometheusRegistry registry = new PrometheusRegistry();
        Sampler sampler = Sampler.create(config);
        registry.register(new ListenqCollector(sampler::current, version));

        // The exporter's own JVM and process metrics, in the same registry (Micrometer names them jvm_*,
        // process_*, system_*: no family overlaps listenq_*).
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
        // Two of ProcessorMetrics' names fail promtool's lint: process_cpu_time_ns_total (abbreviated unit)
        // and system_cpu_count (a _count suffix on a gauge). process_cpu_usage and system_cpu_usage stay.
        meters.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        meters.config().meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);

        sampler.start();
        WebServer web = new WebServer(
                new WebServer.Settings(config.listenAddress().bindHost(), config.listenAddress().port(),
                        config.telemetryPath(), config.maxConcurrentScrapes()),
                // Exposition bytes are cached per snapshot: the JVM/process meters in a scrape are as of the first
                // scrape after each sampling round (at most one --sample.interval old).
                security, registry, sampler::current, new WebServer.Probes(sampler::healthy, sampler::ready),
                () -> LandingPage.render(version, config, sampler.modeDescription(), sampler.current()),
                sampler::current);
        // before the port opens: whoever sees it answer may send SIGHUP, and the JVM's default action for an
        // unhandled SIGHUP is to exit
        ReloadSignal.install(security);
        try {
            web.start();
        } catch (RuntimeException e) {
            sampler.close();
            throw new IllegalStateException("cannot listen on " + config.listenAddress() + ": " + rootMessage(e), e);
        }
        LOG.info("listenq-exporter {} listening on {} ({}, telemetry path {}, netns mode {}, interval {}, "
                        + "web config {})", version, config.listenAddress(), security.tls() ? "https" : "http",
                config.telemetryPath(), sampler.modeDescription(), Durations.format(config.sampleInterval()),
                security.describe());
        return new Exporter(sampler, web, gc, meters);
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
        gcMetrics.close();
        meters.close();
        LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
