package io.listenq.benchmarks.jmh;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the exporter does per snapshot and per scrape with 10,000 listener series: {@link ListenqCollector}
 * turning a {@link Snapshot} into metric families (once per round: the collector caches per snapshot), and the
 * Prometheus text format writer serialising them (every scrape). {@code layout} is namespaces x listeners.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExpositionBenchmark {
    @Param({"1x10000", "1000x10"})
    public String layout;

    private Snapshot first;
    private Snapshot second;
    private boolean flip;
    private ListenqCollector building;
    private MetricSnapshots families;
    private PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(4 << 20);

    @Setup
    public void build() {
        String[] nm = layout.split("x");
        first = snapshot(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
        // same content, another identity: the collector's per-snapshot cache misses on every call
        second = new Snapshot(
                first.timestampMillis() + 1000,
                first.roundSeconds(),
                first.namespaces(),
                first.collectors(),
                first.netnsErrors(),
                first.listenersDropped());
        building = new ListenqCollector(() -> (flip = !flip) ? first : second, "bench");
        families = new ListenqCollector(() -> first, "bench").collect();
        registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(() -> first, "bench"));
    }

    static Snapshot snapshot(int namespaces, int listenersPerNamespace) {
        List<NamespaceSample> out = new ArrayList<>(namespaces);
        for (int n = 0; n < namespaces; n++) {
            String netns = Long.toString(4026532000L + n);
            Map<NetnsCounter, Long> counters = new EnumMap<>(NetnsCounter.class);
            for (NetnsCounter c : NetnsCounter.values()) {
                counters.put(c, 1000L * n + c.ordinal());
            }
            Map<Sysctl, Long> sysctls = new EnumMap<>(Sysctl.class);
            for (Sysctl s : Sysctl.values()) {
                sysctls.put(s, 4096L);
            }
            List<ListenerSample> listeners = new ArrayList<>(listenersPerNamespace);
            for (int i = 0; i < listenersPerNamespace; i++) {
                String address = "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
                ListenerKey key = new ListenerKey(netns, "ipv4", address, Integer.toString(8000 + i % 50000));
                listeners.add(new ListenerSample(
                        key,
                        i % 3,
                        4096,
                        false,
                        OptionalLong.of(i % 7),
                        OptionalLong.of(i % 5),
                        1,
                        i % 3 + i % 11,
                        0.25 * (i % 4),
                        OptionalLong.empty(),
                        OptionalDouble.of(0)));
            }
            listeners.sort((a, b) -> a.key().compareTo(b.key()));
            out.add(new NamespaceSample(
                    netns, new NetnsIdentity("lq-b-" + n, "", "", "", ""), counters, sysctls, listeners));
        }
        List<CollectorResult> collectors =
                List.of(new CollectorResult("netstat", true, 0.01), new CollectorResult("tcp_listeners", true, 0.02));
        return new Snapshot(System.currentTimeMillis(), 0.03, out, collectors, Map.of(), 0);
    }

    /** Snapshot to metric families: once per sampling round. */
    @Benchmark
    public MetricSnapshots collect() {
        return building.collect();
    }

    /** Metric families to text: every scrape (the response bytes are in the scenario table). */
    @Benchmark
    public int writeText() throws IOException {
        body.reset();
        writer.write(body, families);
        return body.size();
    }

    /** A scrape of a cached snapshot without HTTP: registry.scrape() plus the text writer. */
    @Benchmark
    public int scrape() throws IOException {
        body.reset();
        writer.write(body, registry.scrape());
        return body.size();
    }
}
