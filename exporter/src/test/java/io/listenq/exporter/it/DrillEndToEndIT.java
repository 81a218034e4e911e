package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.drill.Drill;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.PrometheusServer;
import io.listenq.exporter.testing.Teardown;
import io.listenq.exporter.testing.Workloads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole alert path on the committed, unmodified rules: Debian's Prometheus scrapes the exporter every 15 s and
 * evaluates {@code deploy/prometheus/listenq.rules.yml} every 15 s, the exporter samples every second, and
 * {@code listenq-exporter drill} overflows a canary in one namespace. The drill's alert must fire within 2 minutes
 * of the overflow's start (the canary listens, empty, for 20 s first; its first drop comes within milliseconds of
 * the first client). Meanwhile, for 5 minutes, these stay
 * silent (no alert firing; pending states are counted and printed): a healthy busy service accepting at once under tcp_syncookies 0, 1 and 2 (each
 * setting moves other counters on a healthy host), and a service whose acceptor stalls once for 2 s.
 * Takes about 5.5 minutes: tagged {@code long}, and run by {@code mvn verify} (so CI runs it).
 */
@Tag("long")
class DrillEndToEndIT {
    private static final Duration SCRAPE = Duration.ofSeconds(15);
    private static final Duration FIRE_WITHIN = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration QUIET_FOR = Duration.ofMinutes(5);
    private static final int PORT = 8080;

    private static TestNetns drillNs;
    private static final Map<String, TestNetns> quiet = new LinkedHashMap<>(); // scenario -> namespace
    private static final Map<String, String> quietInodes = new LinkedHashMap<>(); // inode -> scenario
    private static Workloads workloads;
    private static ExporterProcess exporter;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path binary = ExternalTool.require("prometheus");
        String rules = Files.readString(PrometheusEndToEndIT.repoRoot().resolve("deploy/prometheus/listenq.rules.yml"));
        drillNs = TestNetns.create("lq-dr-canary");
        workloads = new Workloads();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), PORT);
        for (String cookies : List.of("0", "1", "2")) {
            TestNetns ns = TestNetns.create("lq-dr-busy" + cookies);
            quiet.put("healthy busy, tcp_syncookies=" + cookies, ns);
            ns.sysctl("net.ipv4.tcp_syncookies", cookies);
            workloads.healthyBusy(ns, address, 128, 100);
        }
        TestNetns stall = TestNetns.create("lq-dr-stall");
        quiet.put("one 2 s acceptor stall", stall);
        workloads.stallOnce(stall, address, 8, 20, 60_000, 2_000);
        for (Map.Entry<String, TestNetns> e : quiet.entrySet()) {
            quietInodes.put(e.getValue().inode(), e.getKey());
        }
        List<String> names =
                new ArrayList<>(quiet.values().stream().map(TestNetns::name).toList());
        names.add(drillNs.name());
        int port = ExporterProcess.freePort();
        exporter = ExporterProcess.start(
                List.of(), port, "--netns=all", "--sample.interval=1s", "--netns.include=" + String.join("|", names));
        exporter.awaitReady(Duration.ofSeconds(30));
        prometheus = PrometheusServer.start(binary, "127.0.0.1:" + port, rules, SCRAPE);
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(prometheus, exporter, workloads, drillNs, quiet.values());
    }

    @Test
    void theDrillFiresWithinTwoMinutesAndHealthyLoadStaysSilentForFive() throws Exception {
        String canaryInode = drillNs.inode();
        ByteArrayOutputStream drillOut = new ByteArrayOutputStream();
        // The canary listens for SETTLE before its first drop, so Prometheus has scraped it as it would have a real
        // listener: time to firing is counted from the first drop.
        long start = System.nanoTime() + SETTLE.toNanos();
        CompletableFuture<Integer> drill = CompletableFuture.supplyAsync(() -> Drill.run(
                List.of("--netns=" + drillNs.name(), "--settle=" + SETTLE.toSeconds() + "s", "--duration=3m"),
                new PrintStream(drillOut, true, StandardCharsets.UTF_8),
                System.err));

        Long firedAfter = null;
        PrometheusServer.Alert fired = null;
        List<String> noise = new ArrayList<>(); // firing for a quiet scenario: a page nobody should get
        List<String> pending = new ArrayList<>(); // pending only: Prometheus waited and did not page
        while (System.nanoTime() - start < QUIET_FOR.minus(SETTLE).toNanos()) {
            for (PrometheusServer.Alert a : prometheus.alerts()) {
                String scenario = quietInodes.get(a.label("netns"));
                if (scenario != null) {
                    String seen = seconds(start) + " s: " + a.label("alertname") + " for " + scenario;
                    (a.state().equals("firing") ? noise : pending).add(seen);
                }
                if (fired == null
                        && a.state().equals("firing")
                        && a.label("alertname").equals(Drill.ALERT)
                        && a.label("netns").equals(canaryInode)
                        && a.label("port").equals("19469")) {
                    fired = a;
                    firedAfter = seconds(start);
                }
            }
            Thread.sleep(2_000);
        }
        assertThat(drill.get(1, TimeUnit.MINUTES)).as("drill exit status").isZero();
        System.out.printf(
                "DrillEndToEndIT: %s firing %s s after the first drop; firing for quiet scenarios: %s;"
                        + " pending (seen every 2 s) for quiet scenarios: %d, first %s; %d connections accepted by the quiet"
                        + " services%n",
                Drill.ALERT,
                firedAfter,
                noise,
                pending.size(),
                pending.isEmpty() ? "-" : pending.getFirst(),
                workloads.accepted());

        assertThat(fired)
                .as("%s firing for the canary within %s", Drill.ALERT, QUIET_FOR)
                .isNotNull();
        assertThat(firedAfter).as("seconds from the first drop to firing").isLessThanOrEqualTo(FIRE_WITHIN.toSeconds());
        assertThat(fired.label("address")).isEqualTo("127.0.0.1");
        assertThat(String.join(" ", fired.annotations().values()))
                .as("annotations name the namespace")
                .contains(drillNs.name());
        assertThat(fired.annotations().get("summary"))
                .as("the summary marks the drill's canary")
                .contains("[listenq drill canary]");
        assertThat(noise).as("alerts for the healthy and stalling services").isEmpty();
        assertThat(workloads.accepted()).as("the quiet services really served").isGreaterThan(10_000);
    }

    private static long seconds(long start) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    }
}
