package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.listenq.collectors.testing.SsOracle;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.drill.Drill;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.Nstat;
import io.listenq.exporter.testing.Teardown;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code listenq-exporter drill} against a namespace this test makes, with the exporter sampling that namespace
 * from inside it: the canary is seen full and dropping by the exporter and by ss/nstat in the namespace, and when
 * the drill ends (by its duration or by SIGTERM) nothing of it is left: no socket in the namespace, no socket fd
 * in the process that ran it, no drill thread.
 */
class DrillIT {
    private static final int CANARY_PORT = 19469;
    private static final int SIGNAL_PORT = 19470;

    private static TestNetns ns;
    private static ExporterProcess exporter;
    private static String netns;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        ns = TestNetns.create("lq-drill");
        netns = ns.inode();
        exporter = ExporterProcess.start(
                List.of("ip", "netns", "exec", ns.name()), 9469, "--netns=self", "--sample.interval=100ms");
        ns.call(() -> {
            exporter.awaitReady(Duration.ofSeconds(30));
            return null;
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(exporter, ns);
    }

    @Test
    void theCanaryOverflowsAsSsSeesItAndNothingIsLeftAfterwards() throws Exception {
        Set<String> socketsBefore = socketFds();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> drill = CompletableFuture.supplyAsync(() -> Drill.run(
                List.of("--netns=" + ns.name(), "--port=" + CANARY_PORT, "--settle=0s", "--duration=12s"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));

        String[] canary = {
            "netns", netns, "family", "ipv4", "address", "127.0.0.1", "port", Integer.toString(CANARY_PORT)
        };
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    MetricsText m = ns.call(exporter::scrape);
                    assertThat(m.value("listenq_accept_queue_length", canary)).isEqualTo(2.0);
                    assertThat(m.value("listenq_listener_drops_total", canary)).isGreaterThan(0.0);
                });

        // Bracketed, as drops keep moving: ss before <= exporter <= ss after.
        SsOracle.Listener before = canaryInSs(CANARY_PORT);
        long overflows = Nstat.read(ns).getOrDefault("TcpExtListenOverflows", 0L);
        Thread.sleep(300); // a sample taken after the "before" readings
        MetricsText m = ns.call(exporter::scrape);
        SsOracle.Listener after = canaryInSs(CANARY_PORT);
        assertThat(before.recvQ()).isEqualTo(2);
        assertThat(before.sendQ()).isEqualTo(1);
        assertThat(m.value("listenq_accept_queue_length", canary)).isEqualTo(after.recvQ());
        assertThat(m.value("listenq_accept_queue_backlog", canary)).isEqualTo(after.sendQ());
        assertThat((long) m.value("listenq_listener_drops_total", canary)).isBetween(before.drops(), after.drops());
        assertThat(m.value("listenq_accept_queue_full_seconds_total", canary)).isGreaterThan(0.0);
        assertThat(overflows).as("nstat TcpExtListenOverflows in the namespace").isPositive();

        assertThat(drill.get(30, TimeUnit.SECONDS))
                .as("drill exit status; stderr: %s", err)
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "queue 2/1 full",
                        Drill.ALERT,
                        "netns=\"" + netns + "\"",
                        "port=\"" + CANARY_PORT + "\"",
                        "closed the canary and every client socket");
        assertNothingLeft(CANARY_PORT);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(socketFds()).isEqualTo(socketsBefore));
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("listenq-drill"));
    }

    @Test
    void sigtermStopsTheDrillAndCleansUp() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("lq-drill", ".log");
        Process p = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        ExporterProcess.JAR.toString(),
                        "drill",
                        "--netns=" + ns.name(),
                        "--port=" + SIGNAL_PORT,
                        "--settle=0s",
                        "--duration=1m")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                SsOracle.Listener l = canaryInSs(SIGNAL_PORT);
                assertThat(l.recvQ()).isEqualTo(2);
                assertThat(l.drops()).isPositive();
            });
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(Files.readString(log)).contains("stopping early", "closed the canary and every client socket");
            assertNothingLeft(SIGNAL_PORT);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void refusesAnAddressThatIsNotTheNamespaces() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Drill.run(
                List.of("--netns=" + ns.name(), "--address=192.0.2.1", "--duration=5s"),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("192.0.2.1", "neither loopback nor an address");
    }

    private static SsOracle.Listener canaryInSs(int port) throws IOException {
        List<SsOracle.Listener> found = new SsOracle(ns)
                .tcpListeners().stream().filter(l -> l.port() == port).toList();
        assertThat(found).as("ss -ltn line for the canary on port %d", port).hasSize(1);
        return found.getFirst();
    }

    /** No socket of any state (listening, queued, half-open, closing) on the canary port in the namespace. */
    private static void assertNothingLeft(int port) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> left = new ArrayList<>();
            for (String line : ns.exec("ss", "-Htan").split("\n")) {
                if (line.contains(":" + port + " ")) {
                    left.add(line);
                }
            }
            assertThat(left).as("sockets left on port %d", port).isEmpty();
        });
    }

    private static Set<String> socketFds() throws IOException {
        Set<String> sockets = new TreeSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        sockets.add(target);
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return sockets;
    }
}
