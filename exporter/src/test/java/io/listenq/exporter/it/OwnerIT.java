package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.Chromium;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.Json;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.NeverAccepts;
import io.listenq.exporter.testing.Teardown;
import io.listenq.exporter.testing.TestCgroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who owns a listener, in all four views. A process is moved into a cgroup made here before it creates a listener
 * (backlog 4) in a namespace made here; 20 clients overflow it. The metric, the JSON API, the landing page as
 * Chromium renders it and the {@code listeners} command must each give the cgroup path, the length and the backlog
 * that {@code ss -ltn --cgroup} gives inside that namespace ({@code nsenter --net}, which keeps the host's /sys
 * where {@code ip netns exec} would remount it).
 */
class OwnerIT {
    private static final int PORT = 7140;
    private static final int BACKLOG = 4;

    private static TestNetns ns;
    private static String inode;
    private static TestCgroup cgroup;
    private static OverflowClient clients;
    private static ExporterProcess exporter;
    private static Ss ss;

    /** One line of {@code ss -Hltn --cgroup}. */
    record Ss(int recvQ, int sendQ, String cgroup) {}

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        ExternalTool.require("nsenter");
        cgroup = TestCgroup.create("lq-own");
        ns = TestNetns.create("lq-own");
        inode = ns.inode();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process app = cgroup.start(List.of(
                "nsenter",
                "--net=/run/netns/" + ns.name(),
                java,
                "-Xmx32m",
                "-cp",
                Path.of("target/test-classes").toAbsolutePath().toString(),
                NeverAccepts.class.getName(),
                Integer.toString(PORT),
                Integer.toString(BACKLOG)));
        BufferedReader appOut = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return appOut.readLine();
                    } catch (java.io.IOException e) {
                        return "read failed: " + e;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        assertThat(first).as("the application in the cgroup").startsWith("listening on 0.0.0.0:" + PORT);

        clients = new OverflowClient();
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), PORT);
        ns.call(() -> {
            clients.connect(target, 20);
            return null;
        });
        exporter = ExporterProcess.start(
                List.of(),
                ExporterProcess.freePort(),
                "--netns=all",
                "--sample.interval=200ms",
                "--netns.refresh-interval=1s",
                "--netns.include=" + ns.name() + "|host");
        exporter.awaitReady(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline
                && (info(exporter.scrape()).isEmpty()
                        || info(exporter.scrape()).get().label("cgroup").isEmpty()
                        || exporter.scrape().value("listenq_accept_queue_length", listener()) != BACKLOG + 1)) {
            Thread.sleep(200);
        }
        ss = ss();
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(exporter, clients, cgroup, ns);
    }

    private static String[] listener() {
        return new String[] {"netns", inode, "family", "ipv4", "address", "0.0.0.0", "port", Integer.toString(PORT)};
    }

    private static java.util.Optional<MetricsText.Sample> info(MetricsText m) {
        return m.single("listenq_listener_info", listener());
    }

    private static Ss ss() throws Exception {
        Process p = new ProcessBuilder(
                        "nsenter", "--net=/run/netns/" + ns.name(), "ss", "-Hltn", "--cgroup", "sport = :" + PORT)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        String[] f = out.split("\\s+");
        assertThat(f[f.length - 1]).as(out).startsWith("cgroup:");
        return new Ss(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[f.length - 1].substring("cgroup:".length()));
    }

    @Test
    void ssSeesTheCgroupMadeHere() {
        assertThat(ss).isEqualTo(new Ss(BACKLOG + 1, BACKLOG, cgroup.path()));
    }

    @Test
    void metricNamesTheOwner() throws Exception {
        MetricsText m = exporter.scrape();
        MetricsText.Sample info = info(m).orElseThrow();
        assertThat(info.value()).isEqualTo(1);
        assertThat(info.label("cgroup")).isEqualTo(ss.cgroup());
        assertThat(info.label("unit")).isEqualTo(cgroup.unit());
        assertThat(info.label("container_id")).isEmpty();
        assertThat(info.label("pod_uid")).isEmpty();
        assertThat(m.value("listenq_accept_queue_length", listener())).isEqualTo(ss.recvQ());
        assertThat(m.value("listenq_accept_queue_backlog", listener())).isEqualTo(ss.sendQ());
        assertThat(m.value("listenq_collector_success", "collector", "listener_owners"))
                .isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonApiNamesTheOwner() throws Exception {
        ExporterProcess.Response r = ExporterProcess.get(exporter.port(), "/api/v1/listeners?netns=" + ns.name(), null);
        assertThat(r.code()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body())).get("listeners");
        Map<String, Object> row = rows.stream()
                .filter(x -> Double.valueOf(PORT).equals(x.get("port")))
                .findFirst()
                .orElseThrow();
        assertThat(rows.getFirst()).as("the full listener sorts first").isEqualTo(row);
        assertThat(row)
                .containsEntry("netns", inode)
                .containsEntry("netns_name", ns.name())
                .containsEntry("length", (double) ss.recvQ())
                .containsEntry("backlog", (double) ss.sendQ())
                .containsEntry("full", true);
        assertThat((Double) row.get("drops_total")).isPositive();
        assertThat((Map<String, Object>) row.get("owner"))
                .containsEntry("cgroup", ss.cgroup())
                .containsEntry("unit", cgroup.unit());
        ExporterProcess.Response bad = ExporterProcess.get(exporter.port(), "/api/v1/listeners?min_fill=x", null);
        assertThat(bad.code()).isEqualTo(400);
    }

    @Test
    void landingPageInChromiumShowsTheListenerInTrouble() throws Exception {
        String url = "http://127.0.0.1:" + exporter.port() + "/";
        String dom = Chromium.dumpDom(url);
        Matcher row = Pattern.compile("<tr class=\"full\" data-netns=\"" + inode + "\" data-family=\"ipv4\" "
                        + "data-address=\"0.0.0.0\" data-port=\"" + PORT
                        + "\" data-length=\"(\\d+)\" data-backlog=\"(\\d+)\" "
                        + "data-cgroup=\"([^\"]*)\"[^>]*>(.*?)</tr>")
                .matcher(dom);
        assertThat(row.find()).as(dom).isTrue();
        assertThat(Integer.parseInt(row.group(1))).isEqualTo(ss.recvQ());
        assertThat(Integer.parseInt(row.group(2))).isEqualTo(ss.sendQ());
        assertThat(row.group(3)).isEqualTo(ss.cgroup());
        assertThat(row.group(4)).contains("<td>" + ns.name() + "</td>").contains("<td>" + cgroup.unit() + "</td>");
        assertThat(dom).contains("http-equiv=\"refresh\"").doesNotContainIgnoringCase("<script");
        Path png = Path.of("target/chromium/owner-landing-page.png");
        Chromium.screenshot(url, png);
        assertThat(Files.size(png)).isGreaterThan(1_000);
    }

    @Test
    void listenersCommandNamesTheOwner() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(
                List.of(java, "-Xmx64m", "-jar", ExporterProcess.JAR.toString(), "listeners", "--netns=all"));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(out.lines().findFirst().orElseThrow().strip().split("\\s+"))
                .containsExactly(
                        "NETNS", "NAME", "FAMILY", "ADDRESS", "PORT", "QUEUE", "BACKLOG", "FILL%", "DROPS", "OWNER");
        String line = out.lines()
                .filter(l -> l.strip().startsWith(inode + " ") && l.contains(" " + PORT + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(out));
        String[] f = line.strip().split("\\s+");
        assertThat(f[1]).isEqualTo(ns.name());
        assertThat(Integer.parseInt(f[5])).isEqualTo(ss.recvQ());
        assertThat(Integer.parseInt(f[6])).isEqualTo(ss.sendQ());
        assertThat(f[7]).isEqualTo(Integer.toString(Math.round(100f * ss.recvQ() / ss.sendQ())));
        assertThat(ss.cgroup()).isEqualTo("/" + f[9]); // OWNER: the scope unit, which is the whole path here
    }

    @Test
    @SuppressWarnings("unchecked")
    void listenersCommandJsonIsTheApiDocument() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-jar",
                        ExporterProcess.JAR.toString(),
                        "listeners",
                        "--netns=all",
                        "--output=json")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(out)).get("listeners");
        Map<String, Object> row = rows.stream()
                .filter(x ->
                        inode.equals(x.get("netns")) && Double.valueOf(PORT).equals(x.get("port")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(out));
        assertThat(row).containsEntry("length", (double) ss.recvQ()).containsEntry("backlog", (double) ss.sendQ());
        assertThat((Map<String, Object>) row.get("owner")).containsEntry("cgroup", ss.cgroup());
    }

    @Test
    void listenersCommandWatchPrintsAgainUntilStopped() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-jar",
                        ExporterProcess.JAR.toString(),
                        "listeners",
                        "--netns=self",
                        "--watch=300ms")
                .redirectErrorStream(true)
                .start();
        java.util.concurrent.Future<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        Thread.sleep(4_000);
        assertThat(p.isAlive()).as("--watch keeps going").isTrue();
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        assertThat(out.get(10, TimeUnit.SECONDS)
                        .lines()
                        .filter(l -> l.strip().startsWith("NETNS"))
                        .count())
                .isGreaterThanOrEqualTo(2);
    }
}
