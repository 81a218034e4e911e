package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.testing.Getpcaps;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.MetricsText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without CAP_SYS_ADMIN and CAP_SYS_PTRACE (dropped with setpriv, as a hardened unit or a plain container
 * would), --netns=auto serves the exporter's own namespace and says once, naming both capabilities, why it
 * cannot see the others; --netns=all then reports each namespace it could not enter as an error.
 */
class PrivilegeIT {
    private static final List<String> DROP =
            List.of("--inh-caps=-sys_admin,-sys_ptrace", "--bounding-set=-sys_admin,-sys_ptrace");

    @Test
    void autoModeWithoutCapabilitiesServesItsOwnNamespace() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path setpriv = ExternalTool.require("setpriv");
        String ownNetns = NetnsId.of(Path.of("/proc/self/ns/net")).inodeText();
        try (TestNetns other = TestNetns.create("lq-priv")) {
            List<String> prefix = new java.util.ArrayList<>(List.of(setpriv.toString()));
            prefix.addAll(DROP);
            int port = ExporterProcess.freePort();
            try (ExporterProcess exporter = ExporterProcess.start(prefix, port, "--netns=auto")) {
                exporter.awaitReady(Duration.ofSeconds(30));
                // the oracle is getpcaps (capget), not the exporter's own /proc/PID/status parser
                Getpcaps caps = Getpcaps.of(exporter.pid());
                assertThat(caps.effective("cap_sys_admin"))
                        .as("setpriv dropped CAP_SYS_ADMIN")
                        .isFalse();
                assertThat(caps.effective("cap_sys_ptrace"))
                        .as("setpriv dropped CAP_SYS_PTRACE")
                        .isFalse();
                assertThat(caps.effective("cap_net_raw"))
                        .as("and left the others")
                        .isTrue();
                MetricsText m = exporter.scrape();
                assertThat(m.value("listenq_netns")).isEqualTo(1);
                assertThat(m.find("listenq_netns_info"))
                        .singleElement()
                        .satisfies(s -> assertThat(s.label("netns")).isEqualTo(ownNetns));
                assertThat(m.find("listenq_accept_queue_length", "netns", ownNetns))
                        .isNotEmpty();
                String log = exporter.output();
                // decided by trying to enter another namespace, which fails; the line says why and what is missing
                assertThat(log.lines().filter(l -> l.contains("level=WARN")))
                        .as(log)
                        .singleElement()
                        .satisfies(l -> assertThat(l)
                                .contains("--netns=auto")
                                .contains("entering another")
                                .contains("CAP_SYS_ADMIN")
                                .contains("CAP_SYS_PTRACE"));
                assertThat(m.value("listenq_collector_success", "collector", "tcp_listeners"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void allModeWithoutCapabilitiesCountsWhatItCannotEnterAndLogsOnce() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path setpriv = ExternalTool.require("setpriv");
        String ownNetns = NetnsId.of(Path.of("/proc/self/ns/net")).inodeText();
        try (TestNetns a = TestNetns.create("lq-priv");
                TestNetns b = TestNetns.create("lq-priv")) {
            List<String> prefix = new java.util.ArrayList<>(List.of(setpriv.toString()));
            prefix.addAll(DROP);
            int port = ExporterProcess.freePort();
            try (ExporterProcess exporter = ExporterProcess.start(
                    prefix, port, "--netns=all", "--sample.interval=100ms", "--netns.refresh-interval=500ms")) {
                exporter.awaitReady(Duration.ofSeconds(30));
                Thread.sleep(2_000); // four refreshes, twenty rounds
                MetricsText m = exporter.scrape();
                // the bind mounts under /run/netns open without ptrace, but setns needs CAP_SYS_ADMIN
                assertThat(m.value("listenq_netns_errors_total", "reason", "permission"))
                        .isGreaterThanOrEqualTo(2);
                assertThat(m.find("listenq_netns_info", "name", a.name())).isEmpty();
                assertThat(m.find("listenq_netns_info", "netns", ownNetns)).hasSize(1);
                assertThat(m.find("listenq_accept_queue_length", "netns", ownNetns))
                        .isNotEmpty();
                String log = exporter.output();
                // said at start (as auto does), then once for the reason with what to do, not once per round
                assertThat(log.lines()
                                .filter(l -> l.contains("level=WARN")
                                        && l.contains("--netns=all")
                                        && l.contains("entering another")))
                        .as(log)
                        .hasSize(1);
                assertThat(log.lines().filter(l -> l.contains("netns permission: setns")))
                        .as(log)
                        .singleElement()
                        .satisfies(l -> assertThat(l).contains("what to do").contains("CAP_SYS_ADMIN"));
                assertThat(exporter.process().isAlive()).isTrue();
            }
        }
    }

    @Test
    void listenersCommandWithoutCapabilitiesShowsItsOwnNamespaceAndSaysWhatAllNeeds() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path setpriv = ExternalTool.require("setpriv");
        String ownNetns = NetnsId.of(Path.of("/proc/self/ns/net")).inodeText();
        List<String> command = new java.util.ArrayList<>(List.of(setpriv.toString()));
        command.addAll(DROP);
        command.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m",
                "-jar",
                ExporterProcess.JAR.toString(),
                "listeners",
                "--netns=all"));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(err.lines())
                .singleElement()
                .asString()
                .contains("own network namespace only")
                .contains("--netns=all needs CAP_SYS_ADMIN and CAP_SYS_PTRACE");
        assertThat(out).contains("in 1 namespace(s), netns mode self");
        assertThat(out.lines().skip(1).filter(l -> !l.contains("listener(s) in")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.strip()).startsWith(ownNetns + " "));
    }
}
