package io.listenq.exporter.metrics;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
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
 * The whole /metrics text of the listenq families for a fixed snapshot, diffed against a golden file and linted
 * by {@code promtool check metrics}. Regenerate with {@code -Dlistenq.updateGolden=true} and review the diff.
 */
class ListenqCollectorGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics.txt");

    static Snapshot fixedSnapshot() {
        Map<NetnsCounter, Long> hostCounters = new EnumMap<>(NetnsCounter.class);
        long v = 1;
        for (NetnsCounter c : NetnsCounter.values()) {
            hostCounters.put(c, v++ * 10);
        }
        hostCounters.put(NetnsCounter.SYNCOOKIES_FAILED, -2L); // u64 18446744073709551614: printed unsigned
        Map<Sysctl, Long> hostSysctls = new EnumMap<>(Map.of(
                Sysctl.SOMAXCONN,
                4096L,
                Sysctl.TCP_MAX_SYN_BACKLOG,
                512L,
                Sysctl.TCP_SYNCOOKIES,
                1L,
                Sysctl.TCP_ABORT_ON_OVERFLOW,
                0L));
        NamespaceSample host = new NamespaceSample(
                "4026531840",
                new NetnsIdentity("host", "1", "systemd", "", ""),
                hostCounters,
                hostSysctls,
                List.of(
                        listener("4026531840", "ipv4", "127.0.0.1", "8080")
                                .acceptQueue(5)
                                .backlog(4)
                                .drops(75)
                                .synQueue(5)
                                .fullSeconds(12.5)
                                .cgroupId(42)
                                .dropRate(1.25)
                                .build(),
                        // cgroup 99 is gone: the owner labels are empty
                        listener("4026531840", "ipv6", "::", "443")
                                .backlog(8192)
                                .drops(0)
                                .synQueue(0)
                                .sockets(2)
                                .peak(3)
                                .cgroupId(99)
                                .dropRate(0)
                                .build(),
                        listener("4026531840", "unix", "@listenq \"demo\"\\x", "")
                                .acceptQueue(4)
                                .backlog(3)
                                .fullSeconds(2)
                                .build()));
        // a namespace whose snmp file lacked PassiveOpens and whose sysctls could not be read
        Map<NetnsCounter, Long> podCounters = new EnumMap<>(NetnsCounter.class);
        podCounters.put(NetnsCounter.LISTEN_OVERFLOWS, 0L);
        podCounters.put(NetnsCounter.LISTEN_DROPS, 0L);
        NamespaceSample pod = new NamespaceSample(
                "4026532999",
                new NetnsIdentity(
                        "",
                        "4242",
                        "pause",
                        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        "6e3a5b9c-1d2f-4a8b-9c0d-e1f2a3b4c5d6"),
                podCounters,
                Map.of(),
                List.of(listener("4026532999", "ipv4", "0.0.0.0", "80")
                        .drops(0)
                        .synQueue(0)
                        .cgroupId(77)
                        .dropRate(0)
                        .build()));
        return Snapshots.snapshot(host, pod)
                .timestampMillis(1_764_072_000_123L)
                .roundSeconds(0.0125)
                .collectors(
                        new CollectorResult("netstat", false, 0.000250),
                        new CollectorResult("sysctl", false, 0.000125),
                        new CollectorResult("tcp_listeners", true, 0.0005))
                .netnsErrors(Map.of("vanished", 3L, "permission", 1L))
                .listenersDropped(7)
                .owner(42, ListenerOwner.ofPath("/system.slice/web.service"))
                .owner(
                        77,
                        ListenerOwner.ofPath(
                                "/kubepods.slice/kubepods-pod6e3a5b9c_1d2f_4a8b_9c0d_e1f2a3b4c5d6.slice/"
                                        + "cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope"))
                .build();
    }

    static String render(Snapshot s) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(
                () -> s, new BuildInfo("1.2.3", "0123456789abcdef0123456789abcdef01234567", "25.0.1")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wholeTextMatchesGoldenFile() throws IOException {
        String text = render(fixedSnapshot());
        if (Boolean.getBoolean("listenq.updateGolden")) {
            Files.writeString(GOLDEN, text);
        }
        assertThat(text).isEqualTo(Files.readString(GOLDEN));
    }

    @Test
    void goldenTextPassesPromtool() throws Exception {
        assertThat(ExternalTool.promtoolCheckMetrics(render(fixedSnapshot()))).isEmpty();
    }

    @Test
    void beforeTheFirstRoundOnlyBuildInfoIsServed() throws IOException {
        String text = render(null);
        assertThat(text)
                .contains("listenq_build_info{java_version=\"25.0.1\","
                        + "revision=\"0123456789abcdef0123456789abcdef01234567\",version=\"1.2.3\"} 1");
        assertThat(text).doesNotContain("listenq_accept_queue_length");
    }

    @Test
    void aSnapshotIsTurnedIntoMetricsOnceNotPerScrape() {
        Snapshot s = fixedSnapshot();
        ListenqCollector c = new ListenqCollector(() -> s, "1.2.3");
        assertThat(c.collect()).isSameAs(c.collect());
    }

    /**
     * The labels of a series are rendered once and reused by the next snapshots while its key and owner stay (a row
     * carried over: {@link ListenerFamilies}); a changed owner gets a new info block, and the text stays the golden
     * one.
     */
    @Test
    void unchangedSeriesKeepTheirLabelBlocksAcrossSnapshots() throws IOException {
        Snapshot first = fixedSnapshot();
        AtomicReference<Snapshot> current = new AtomicReference<>(first);
        ListenqCollector c = new ListenqCollector(current::get, "1.2.3");
        byte[] queue = blockOf(c.rows(), "listenq_accept_queue_length");
        byte[] info = blockOf(c.rows(), "listenq_listener_info");

        current.set(fixedSnapshot()); // the same values in new objects, as the sampler's next round
        assertThat(blockOf(c.rows(), "listenq_accept_queue_length")).isSameAs(queue);
        assertThat(blockOf(c.rows(), "listenq_listener_info")).isSameAs(info);

        Snapshot s = fixedSnapshot();
        current.set(new Snapshot(
                s.timestampMillis(),
                s.roundSeconds(),
                s.namespaces(),
                s.collectors(),
                s.netnsErrors(),
                s.listenersDropped(),
                Map.of(42L, ListenerOwner.ofPath("/system.slice/other.service"))));
        assertThat(blockOf(c.rows(), "listenq_accept_queue_length")).isSameAs(queue);
        byte[] moved = blockOf(c.rows(), "listenq_listener_info");
        assertThat(moved).isNotSameAs(info);
        assertThat(new String(moved, StandardCharsets.UTF_8)).contains("unit=\"other.service\"");

        current.set(first);
        c.collect();
        current.set(fixedSnapshot());
        assertThat(render(current.get())).isEqualTo(Files.readString(GOLDEN));

        // a listener whose sample changed gets new points (its labels may stay)
        NamespaceSample host = s.namespaces().getFirst();
        List<ListenerSample> changed = new ArrayList<>(host.listeners());
        ListenerSample old = changed.getFirst();
        changed.set(
                0,
                new ListenerSample(
                        old.key(),
                        old.acceptQueue() + 1,
                        old.backlog(),
                        old.full(),
                        old.drops(),
                        old.synQueue(),
                        old.sockets(),
                        old.peak() + 1,
                        old.fullSeconds(),
                        old.cgroupId(),
                        old.dropRate()));
        List<NamespaceSample> namespaces = new ArrayList<>(s.namespaces());
        namespaces.set(0, new NamespaceSample(host.netns(), host.identity(), host.counters(), host.sysctls(), changed));
        current.set(new Snapshot(
                s.timestampMillis(), s.roundSeconds(), namespaces, s.collectors(), s.netnsErrors(), 0, s.owners()));
        String line = "listenq_accept_queue_length{address=\"127.0.0.1\",family=\"ipv4\",netns=\"4026531840\","
                + "port=\"8080\"} ";
        String text = renderWith(c);
        assertThat(text)
                .contains(line + (old.acceptQueue() + 1) + ".0")
                .doesNotContain(line + old.acceptQueue() + ".0");
    }

    private static String renderWith(ListenqCollector c) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The label block of the 127.0.0.1:8080 listener's point in family {@code name}. */
    private static byte[] blockOf(RowFamilies rows, String name) {
        for (int f = 0; f < rows.count(); f++) {
            if (rows.prototype(f).getMetadata().getPrometheusName().equals(name)) {
                for (int i = 0; i < rows.points(f); i++) {
                    String block = new String(rows.text(f, i), StandardCharsets.UTF_8);
                    if (block.contains("address=\"127.0.0.1\"") && block.contains("port=\"8080\"")) {
                        return rows.text(f, i);
                    }
                }
            }
        }
        throw new AssertionError("no 127.0.0.1:8080 point in " + name);
    }
}
