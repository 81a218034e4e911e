package io.listenq.exporter.metrics;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.exposition.CachedTextWriter;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The exporter's own text writer on the collector's real families: the golden /metrics text, and many listeners over
 * rounds that keep, change, add and drop series (its caches keyed by the collector's reused objects), byte for byte as
 * client_java writes them.
 */
class ListenqCollectorCachedTextTest {
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    ListenqCollectorCachedTextTest() {
        registry.register(new ListenqCollector(
                current::get, new BuildInfo("1.2.3", "0123456789abcdef0123456789abcdef01234567", "25.0.1")));
    }

    private String write(io.prometheus.metrics.expositionformats.ExpositionFormatWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theGoldenTextOverRounds() throws IOException {
        // every family through the cache
        CachedTextWriter cached = new CachedTextWriter(PrometheusTextFormatWriter.create(), 1);
        String golden = Files.readString(Path.of("src/test/resources/golden/metrics.txt"));
        for (int round = 0; round < 3; round++) {
            current.set(ListenqCollectorGoldenTest.fixedSnapshot());
            assertThat(write(cached)).isEqualTo(golden);
        }
        assertThat(cached.copiedFamilies()).isGreaterThan(10);
    }

    @Test
    void manyListenersOverRoundsOfChange() throws IOException {
        CachedTextWriter text = CachedTextWriter.text();
        CachedTextWriter openMetrics = CachedTextWriter.openMetrics();
        for (int round = 0; round < 5; round++) {
            current.set(snapshot(round));
            assertThat(write(text)).as("round %d", round).isEqualTo(write(PrometheusTextFormatWriter.create()));
            assertThat(write(openMetrics)).as("round %d", round).isEqualTo(write(OpenMetricsTextFormatWriter.create()));
        }
        assertThat(text.copiedFamilies()).isGreaterThan(5);
        assertThat(openMetrics.copiedFamilies()).isGreaterThan(5);
    }

    /** 20 namespaces x 12 listeners; each round changes some values, drops a namespace and adds another. */
    private static Snapshot snapshot(int round) {
        List<NamespaceSample> out = new ArrayList<>();
        for (int n = round; n < 20 + round; n++) {
            String netns = Long.toString(4026532000L + n);
            Map<NetnsCounter, Long> counters = new EnumMap<>(NetnsCounter.class);
            for (NetnsCounter c : NetnsCounter.values()) {
                counters.put(c, n % 3 == 0 ? 1000L * n + c.ordinal() + round : -1 - c.ordinal());
            }
            Map<Sysctl, Long> sysctls = new EnumMap<>(Sysctl.class);
            for (Sysctl s : Sysctl.values()) {
                sysctls.put(s, 4096L);
            }
            List<ListenerSample> listeners = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                boolean changes = (i + n) % 4 == round % 4;
                listeners.add(listener(
                                netns, i % 2 == 0 ? "ipv4" : "ipv6", i % 2 == 0 ? "10.0.0." + i : "::", "" + (8000 + i))
                        .acceptQueue(changes ? round : i % 3)
                        .backlog(4096)
                        .drops(changes ? 10_000_000L * round : i)
                        .synQueue(i % 5)
                        .fullSeconds(changes ? 0.1 * round : 0.25 * i)
                        .build());
            }
            listeners.sort((a, b) -> a.key().compareTo(b.key()));
            out.add(new NamespaceSample(
                    netns, new NetnsIdentity("ns-\"" + n + "\\", "", "", "", ""), counters, sysctls, listeners));
        }
        return new Snapshot(
                1_700_000_000_000L + round * 1000L,
                0.03,
                out,
                List.of(new CollectorResult("netstat", true, 0.01)),
                Map.of(),
                0);
    }
}
