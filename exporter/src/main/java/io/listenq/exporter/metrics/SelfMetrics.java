package io.listenq.exporter.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.listenq.exporter.http.ScrapeObserver;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.RoundObserver;
import io.listenq.exporter.sample.Snapshot;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The exporter's metrics about itself, in the registry that serves the listener metrics:
 * <ul>
 *   <li>{@code process_*} and {@code jvm_*} from client_java's JVM instrumentation, in the names every Java
 *   exporter and the Prometheus client guidelines use ({@code process_cpu_seconds_total},
 *   {@code process_resident_memory_bytes}, {@code process_open_fds}...). Nothing about the machine
 *   ({@code system_*}): that is node_exporter's job, and a per-exporter copy would be wrong in a container.</li>
 *   <li>Micrometer meters for the exporter's own work over time: every sampling round, every collector run,
 *   every scrape. {@link ListenqCollector} says how the last round went; these say how all of them went.</li>
 * </ul>
 */
public final class SelfMetrics implements RoundObserver, ScrapeObserver, AutoCloseable {
    /** Round buckets from an idle namespace (~1 ms) to 1,000 namespaces dumped naively (~1 s) and beyond. */
    private static final Duration[] ROUND_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5)
    };

    private final PrometheusMeterRegistry meters;
    private final Timer rounds;
    private final Counter rejected;

    private SelfMetrics(PrometheusMeterRegistry meters) {
        this.meters = meters;
        this.rounds = Timer.builder(name(Metric.SAMPLE_ROUNDS_SECONDS))
                .description(Metric.SAMPLE_ROUNDS_SECONDS.help())
                .serviceLevelObjectives(ROUND_BUCKETS)
                .register(meters);
        this.rejected = Counter.builder(name(Metric.SCRAPES_REJECTED))
                .description(Metric.SCRAPES_REJECTED.help())
                .register(meters);
    }

    /** Registers the JVM and process collectors and the Micrometer meters in {@code registry}. */
    public static SelfMetrics register(PrometheusRegistry registry) {
        registerJvm(registry);
        return new SelfMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM));
    }

    /**
     * What {@code JvmMetrics.builder().register(registry)} registers, but {@code jvm_native_memory_*} only when
     * Native Memory Tracking is on (it has no series otherwise). Asking whether it is, JvmNativeMemoryMetrics runs
     * the {@code VM.native_memory} diagnostic command through the platform MBean server, which brings up all of
     * JMX: the MBean server, every platform MBean, java.util.logging and the argument descriptions of every
     * diagnostic command (JFR's, with its .jfc model). With Jetty's own question answered too
     * ({@code JettyCacheLine}), that is ~250 classes (4,904 to 4,653 loaded at 10 namespaces) that every start
     * loaded, and the AOT cache held, for a family that is empty in every default run. The VM option answers
     * the same question without the server.
     */
    private static void registerJvm(PrometheusRegistry registry) {
        PrometheusProperties config = PrometheusProperties.get();
        JvmThreadsMetrics.builder(config).register(registry);
        JvmBufferPoolMetrics.builder(config).register(registry);
        JvmClassLoadingMetrics.builder(config).register(registry);
        JvmCompilationMetrics.builder(config).register(registry);
        JvmGarbageCollectorMetrics.builder(config).register(registry);
        JvmMemoryPoolAllocationMetrics.builder(config).register(registry);
        JvmMemoryMetrics.builder(config).register(registry);
        if (nativeMemoryTracking()) {
            JvmNativeMemoryMetrics.builder(config).register(registry);
        }
        JvmRuntimeInfoMetric.builder(config).register(registry);
        ProcessMetrics.builder(config).register(registry);
    }

    /** Whether the JVM runs with {@code -XX:NativeMemoryTracking=summary} or {@code detail}. */
    static boolean nativeMemoryTracking() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null
                    && !"off".equals(hotspot.getVMOption("NativeMemoryTracking").getValue());
        } catch (IllegalArgumentException e) {
            return false; // not a HotSpot VM: no such option, and no VM.native_memory command either
        }
    }

    @Override
    public void roundEnded(Snapshot snapshot, Set<String> ran) {
        rounds.record(Math.round(snapshot.roundSeconds() * 1e9), TimeUnit.NANOSECONDS);
        for (CollectorResult c : snapshot.collectors()) {
            if (!ran.contains(c.name())) {
                continue; // its last result was reused: no work to time, no new failure
            }
            Timer.builder(name(Metric.COLLECTOR_RUNS_SECONDS))
                    .description(Metric.COLLECTOR_RUNS_SECONDS.help())
                    .tag("collector", c.name())
                    .register(meters)
                    .record(Math.round(c.durationSeconds() * 1e9), TimeUnit.NANOSECONDS);
            Counter failures = Counter.builder(name(Metric.COLLECTOR_FAILURES))
                    .description(Metric.COLLECTOR_FAILURES.help())
                    .tag("collector", c.name())
                    .register(meters);
            if (!c.success()) {
                failures.increment();
            }
        }
    }

    @Override
    public void served(String format, boolean gzip, long nanos) {
        Timer.builder(name(Metric.SCRAPES_SECONDS))
                .description(Metric.SCRAPES_SECONDS.help())
                .tag("format", format)
                .tag("compression", gzip ? "gzip" : "none")
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected() {
        rejected.increment();
    }

    /**
     * The Micrometer name of a catalog family: dotted, without the unit Micrometer's Prometheus naming appends to
     * timers ({@code _seconds}) nor the {@code _total} it appends to counters.
     */
    static String name(Metric m) {
        String n = m.metricName();
        return (m.unit().isPresent() ? n.substring(0, n.length() - "_seconds".length()) : n).replace('_', '.');
    }

    @Override
    public void close() {
        meters.close();
    }
}
