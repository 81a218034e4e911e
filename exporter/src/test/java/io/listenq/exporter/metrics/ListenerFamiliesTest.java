package io.listenq.exporter.metrics;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.exposition.CachedProtobufWriter;
import io.listenq.exporter.exposition.CachedTextWriter;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.exposition.RowWriter;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.ListenerSamples;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The listener and namespace families written from rows: byte for byte what client_java writes for the same families as data
 * points (text, OpenMetrics, protobuf), over rounds that keep, change, add and drop listeners and owners; rows and
 * their blocks carried over while a listener stays; the order client_java sorts points in, labels by name.
 */
class ListenerFamiliesTest {
    private static final NetnsIdentity NONE = new NetnsIdentity("", "", "", "", "");
    private static final PrometheusProtobufWriter PROTOBUF =
            ExpositionFormats.init().getPrometheusProtobufWriter();
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final ListenqCollector collector = new ListenqCollector(current::get, "test");
    private final PrometheusRegistry registry = new PrometheusRegistry();

    ListenerFamiliesTest() {
        registry.register(collector);
    }

    @Test
    void everyFormatWritesWhatClientJavaWritesOverRoundsOfChange() throws IOException {
        Random random = new Random(7);
        List<RowCase> cases = List.of(
                new RowCase(CachedTextWriter.text(), PrometheusTextFormatWriter.create()),
                new RowCase(CachedTextWriter.openMetrics(), OpenMetricsTextFormatWriter.create()),
                new RowCase(new CachedProtobufWriter(PROTOBUF, 8), PROTOBUF));
        for (int round = 0; round < 12; round++) {
            current.set(snapshot(round, random));
            String reference = null;
            for (RowCase c : cases) {
                byte[] expected = write(c.reference);
                byte[] actual = writeRows(c.cached);
                assertThat(actual)
                        .as("round %d, %s", round, c.reference.getClass().getSimpleName())
                        .isEqualTo(expected);
                reference = reference != null ? reference : new String(expected, StandardCharsets.UTF_8);
            }
            assertThat(reference).contains("listenq_listener_info{").contains("listenq_accept_queue_length{");
        }
    }

    @Test
    void withoutListenersNoListenerFamilyIsWritten() throws IOException {
        current.set(Snapshots.snapshot(new NamespaceSample("4026531840", NONE, Map.of(), Map.of(), List.of()))
                .build());
        String text = new String(writeRows(CachedTextWriter.text()), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(new String(write(PrometheusTextFormatWriter.create()), StandardCharsets.UTF_8));
        assertThat(text).doesNotContain("listenq_accept_queue_length").contains("listenq_netns 1.0");
    }

    @Test
    void anIdleRoundKeepsTheRowsAndAChangedOneKeepsTheBlocksOfListenersThatStay() {
        Random random = new Random(3);
        Snapshot first = snapshot(1, random);
        current.set(first);
        RowFamilies rows = collector.rows();
        current.set(copy(first, first.namespaces()));
        assertThat(collector.rows()).as("same namespaces and owners").isSameAs(rows);

        current.set(copy(first, new ArrayList<>(first.namespaces())));
        RowFamilies again = collector.rows();
        assertThat(again).isNotSameAs(rows);
        for (int f = 0; f < rows.count(); f++) {
            assertThat(again.points(f)).isEqualTo(rows.points(f));
            for (int i = 0; i < rows.points(f); i++) {
                assertThat(again.text(f, i)).isSameAs(rows.text(f, i));
            }
        }
    }

    @Test
    void theRowsLabelNamesAreTheCatalogsInClientJavasOrder() {
        current.set(snapshot(0, new Random(1)));
        RowFamilies rows = collector.rows();
        for (int f = 0; f < rows.count(); f++) {
            if (rows.points(f) == 0) {
                continue; // no sysctl or counter in these namespaces
            }
            String name = rows.prototype(f).getMetadata().getPrometheusName();
            Metric m = Metric.from(Metric.Source.SNAPSHOT).stream()
                    .filter(x -> x.metadata().getPrometheusName().equals(name))
                    .findFirst()
                    .orElseThrow();
            String block = new String(rows.text(f, 0), StandardCharsets.UTF_8);
            List<String> names = IntStream.range(0, m.labels().size())
                    .mapToObj(i -> block.split("\",")[i].replaceAll("^\\{", "").replaceAll("=.*", ""))
                    .toList();
            assertThat(names).as(name).isEqualTo(m.labels().stream().sorted().toList());
        }
        assertThat(ListenqCollector.rowFamilyNames()).hasSize(rows.count());
    }

    /** The next round's snapshot with these namespaces and the same owners map. */
    private static Snapshot copy(Snapshot s, List<NamespaceSample> namespaces) {
        return new Snapshot(
                s.timestampMillis() + 1000,
                s.roundSeconds(),
                namespaces,
                s.collectors(),
                s.netnsErrors(),
                0,
                s.owners());
    }

    private byte[] write(ExpositionFormatWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, registry.scrape());
        return out.toByteArray();
    }

    private byte[] writeRows(RowWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, registry.scrape(n -> !ListenqCollector.rowFamilyNames().contains(n)), collector.rows());
        return out.toByteArray();
    }

    private record RowCase(RowWriter cached, ExpositionFormatWriter reference) {}

    /**
     * 6-12 namespaces of 0-9 listeners: TCP v4 and v6 and unix, drops and SYN queue known or not, owners known, unknown
     * or with characters to escape, addresses and ports that sort differently as strings; some values change each round.
     */
    private static Snapshot snapshot(int round, Random random) {
        List<NamespaceSample> namespaces = new ArrayList<>();
        Snapshots s = null;
        List<ListenerOwner> owners = List.of(
                ListenerOwner.ofPath("/system.slice/nginx.service"),
                ListenerOwner.ofPath("/kubepods.slice/kubepods-pod1234_5678.slice/cri-containerd-abcdef.scope"),
                new ListenerOwner("/weird\"path\\x\n", "", "", ""));
        int count = 6 + random.nextInt(7);
        for (int n = 0; n < count; n++) {
            String netns = Long.toString(4026532000L + (n + round / 3) % 15);
            List<ListenerSample> listeners = new ArrayList<>();
            int k = random.nextInt(10);
            for (int i = 0; i < k; i++) {
                String family = i % 3 == 0 ? "unix" : i % 3 == 1 ? "ipv4" : "ipv6";
                String address =
                        family.equals("unix") ? "@/tmp/s" + i : family.equals("ipv4") ? "10.0.0." + (i * 7) : "::";
                ListenerSamples l = listener(netns, family, address, family.equals("unix") ? "0" : "" + (80 + i * 997))
                        .acceptQueue(random.nextInt(3))
                        .backlog(128)
                        .sockets(1 + random.nextInt(2))
                        .fullSeconds(random.nextInt(4) * 0.25);
                if (!family.equals("unix")) {
                    l.cgroupId(100 + random.nextInt(4));
                    if (random.nextBoolean()) {
                        l.drops(random.nextInt(1000));
                    }
                    if (random.nextBoolean()) {
                        l.synQueue(random.nextInt(5));
                    }
                }
                listeners.add(l.build());
            }
            listeners.sort((a, b) -> a.key().compareTo(b.key()));
            if (listeners.stream().map(ListenerSample::key).distinct().count() != listeners.size()) {
                continue;
            }
            Map<NetnsCounter, Long> counters = new EnumMap<>(NetnsCounter.class);
            for (NetnsCounter c : NetnsCounter.values()) {
                if (random.nextInt(4) > 0) {
                    counters.put(c, random.nextBoolean() ? random.nextInt(100_000) : -1L - random.nextInt(10));
                }
            }
            Map<Sysctl, Long> sysctls = new EnumMap<>(Sysctl.class);
            for (Sysctl c : Sysctl.values()) {
                if (random.nextBoolean()) {
                    sysctls.put(c, 4096L + round);
                }
            }
            NetnsIdentity identity = n % 3 == 0
                    ? NONE
                    : new NetnsIdentity("ns-\"" + n, "" + (100 + n * 7), n % 2 == 0 ? "nginx" : "", "", "");
            namespaces.add(new NamespaceSample(netns, identity, counters, sysctls, listeners));
        }
        namespaces = new ArrayList<>(namespaces.stream()
                .collect(java.util.stream.Collectors.toMap(
                        NamespaceSample::netns, x -> x, (a, b) -> a, java.util.LinkedHashMap::new))
                .values());
        s = Snapshots.snapshot(namespaces).timestampMillis(1_000L * round);
        for (int id = 0; id < 3; id++) {
            s.owner(100 + id, owners.get((id + round) % owners.size()));
        }
        return s.build();
    }
}
