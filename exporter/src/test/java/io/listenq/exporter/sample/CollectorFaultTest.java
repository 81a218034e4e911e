package io.listenq.exporter.sample;

import static io.listenq.collectors.testing.TcpListeners.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.netlink.NetlinkException;
import io.listenq.collectors.netlink.UnixListener;
import io.listenq.collectors.procfs.Sysctl;
import io.listenq.collectors.testing.Captures;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing kernel column, an unreadable sysctl and a failing netlink dump: each costs only its own collector
 * (success 0, one log line however many rounds), and everything else is still served.
 */
class CollectorFaultTest {
    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final ProblemLog problems = new ProblemLog(warnings::add, infos::add);

    /** A procfs tree whose netstat lacks ListenOverflows and whose somaxconn is missing. */
    private static Path brokenProcfs(Path root) throws IOException {
        Path net = Files.createDirectories(root.resolve("thread-self/net"));
        String[] netstat = Captures.text("procfs/netstat").split("\n");
        StringBuilder without = new StringBuilder();
        for (int i = 0; i + 1 < netstat.length; i += 2) {
            List<String> names = new ArrayList<>(List.of(netstat[i].split(" ")));
            List<String> values = new ArrayList<>(List.of(netstat[i + 1].split(" ")));
            int col = names.indexOf("ListenOverflows");
            if (col > 0) {
                names.remove(col);
                values.remove(col);
            }
            without.append(String.join(" ", names))
                    .append('\n')
                    .append(String.join(" ", values))
                    .append('\n');
        }
        Files.writeString(net.resolve("netstat"), without);
        Captures.copy("procfs/snmp", net.resolve("snmp"));
        Captures.copy("procfs/sockstat", net.resolve("sockstat"));
        Captures.copy("procfs/sockstat6", net.resolve("sockstat6"));
        Path ipv4 = Files.createDirectories(root.resolve("sys/net/ipv4"));
        Files.createDirectories(root.resolve("sys/net/core")); // somaxconn missing
        Files.writeString(ipv4.resolve("tcp_max_syn_backlog"), "512\n");
        Files.writeString(ipv4.resolve("tcp_syncookies"), "1\n");
        Files.writeString(ipv4.resolve("tcp_abort_on_overflow"), "0\n");
        return root;
    }

    private StubDumps dumps() throws IOException {
        StubDumps d = new StubDumps();
        d.ipv4 = List.of(
                listener("127.0.0.1", 80).acceptQueue(5).backlog(4).drops(7).build());
        d.unix = List.of(new UnixListener("/run/app.sock", 0, 16, 2));
        d.tcpFailure = new NetlinkException("NLMSG_ERROR errno -13 (Permission denied) in TCP LISTEN dump");
        return d;
    }

    @Test
    void eachFailureCostsOnlyItsCollector(@TempDir Path dir) throws IOException {
        StubDumps dumps = dumps();
        NamespaceReader reader =
                new NamespaceReader("4026531840", brokenProcfs(dir), new SkipPolicy(true, 0), dumps.opener());
        RoundStats stats = null;
        NamespaceSample sample = null;
        for (int round = 0; round < 3; round++) {
            stats = new RoundStats();
            sample = reader.sample(
                    NetnsIdentity.UNKNOWN,
                    new Execution(stats, problems),
                    round == 0 ? SkipPolicy.Turn.FULL : SkipPolicy.Turn.NORMAL,
                    NetnsEntry.INSIDE);
            problems.endRound(stats.ran());
        }
        Map<String, Boolean> success = new java.util.HashMap<>();
        stats.results().forEach(r -> success.put(r.name(), r.success()));
        assertThat(success)
                .containsEntry("netstat", false)
                .containsEntry("sysctl", false)
                .containsEntry("tcp_listeners", false)
                .containsEntry("unix_listeners", true);

        assertThat(sample.counters())
                .doesNotContainKey(NetnsCounter.LISTEN_OVERFLOWS)
                .containsKey(NetnsCounter.LISTEN_DROPS)
                .containsKey(NetnsCounter.PASSIVE_OPENS);
        assertThat(sample.sysctls())
                .doesNotContainKey(Sysctl.SOMAXCONN)
                .containsEntry(Sysctl.TCP_MAX_SYN_BACKLOG, 512L);
        assertThat(sample.listeners()).extracting(l -> l.key().family()).containsExactly("unix");

        // three rounds, three causes: three lines, not nine
        assertThat(warnings).hasSize(3);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("netstat").contains("ListenOverflows"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("sysctl").contains("somaxconn"));
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w).contains("tcp_listeners").contains("Permission denied"));

        String text =
                render(Snapshots.snapshot(sample).collectors(stats.results()).build());
        assertThat(text)
                .contains("listenq_collector_success{collector=\"tcp_listeners\"} 0.0")
                .contains("listenq_collector_success{collector=\"unix_listeners\"} 1.0")
                .contains("listenq_listen_drops_total{netns=\"4026531840\"}")
                .doesNotContain("listenq_listen_overflows_total{")
                .doesNotContain("listenq_somaxconn{")
                .contains("listenq_tcp_syncookies{netns=\"4026531840\"} 1.0");

        // the netlink problem goes away: one "recovered" line, and the listener is back
        dumps.tcpFailure = null;
        stats = new RoundStats();
        sample = reader.sample(
                NetnsIdentity.UNKNOWN, new Execution(stats, problems), SkipPolicy.Turn.NORMAL, NetnsEntry.INSIDE);
        problems.endRound(stats.ran());
        assertThat(infos).singleElement().satisfies(i -> assertThat(i).startsWith("recovered: tcp_listeners"));
        assertThat(sample.listeners()).extracting(l -> l.key().address()).containsExactly("127.0.0.1", "/run/app.sock");
        assertThat(warnings).hasSize(3);
    }

    private static String render(Snapshot s) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(() -> s, "test"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
