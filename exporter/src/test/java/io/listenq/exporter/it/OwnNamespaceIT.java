package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.SsOracle;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.Nstat;
import io.listenq.exporter.testing.Teardown;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exporter process runs inside a namespace this test makes (ip netns exec, --netns=self) next to listeners
 * in known states; every value it serves is checked against ss and nstat run in that namespace at the same
 * moment. Counters that keep moving (clients retransmit SYNs) are bracketed: ss/nstat before, then a sample
 * taken after that, then the scrape, then ss/nstat again.
 */
class OwnNamespaceIT {
    private static final int OVERFLOW_PORT = 8080;
    private static final int CLAMPED_PORT = 8081;
    private static final int V6_PORT = 8082;
    private static final int DUAL_PORT = 8083;
    private static final int REUSE_PORT = 8084;
    private static final int REUSE_WIDE_BACKLOG = 50;
    private static final String ABSTRACT_NAME = "lq-abstract-" + Long.toHexString(System.nanoTime());
    private static final int EXPORTER_PORT = 9469;
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static TestNetns ns;
    private static OverflowClient clients;
    private static ExporterProcess exporter;
    private static final List<AutoCloseable> sockets = new ArrayList<>();
    private static Path unixPath;
    private static Process abstractListener;
    private static String netns;

    private static List<SsOracle.Listener> ssBefore;
    private static List<SsOracle.Listener> ssAfter;
    private static int synRecvBefore;
    private static Map<String, Long> nstatBefore;
    private static Map<String, Long> nstatAfter;
    private static MetricsText metrics;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        ns = TestNetns.create("lq-own");
        netns = ns.inode();
        ns.sysctl("net.core.somaxconn", "64");
        unixPath = Files.createTempDirectory("lq-unix").resolve("app.sock");
        clients = new OverflowClient();
        ns.call(() -> {
            InetAddress v4 = InetAddress.getByName("127.0.0.1");
            InetAddress v6 = InetAddress.getByName("::1");
            listen(new InetSocketAddress(v4, OVERFLOW_PORT), 4, false);
            listen(new InetSocketAddress(v4, CLAMPED_PORT), 1000, false);
            listen(new InetSocketAddress(v6, V6_PORT), 2, false);
            listen(new InetSocketAddress(InetAddress.getByName("::"), DUAL_PORT), 2, false);
            // SO_REUSEPORT: a member with backlog 2 filled before its sibling with backlog 50 exists, so the group
            // is full (one member is) although the summed length is far below the summed backlog
            listen(new InetSocketAddress(v4, REUSE_PORT), 2, true);
            ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unix.bind(UnixDomainSocketAddress.of(unixPath), 3);
            sockets.add(unix);
            for (int i = 0; i < 4; i++) { // backlog 3 holds 4 (backlog + 1), like TCP
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.configureBlocking(false);
                c.connect(UnixDomainSocketAddress.of(unixPath));
                sockets.add(c);
            }
            clients.connect(new InetSocketAddress(v4, OVERFLOW_PORT), 30);
            clients.connect(new InetSocketAddress(v6, V6_PORT), 5);
            clients.connect(new InetSocketAddress(v4, DUAL_PORT), 5);
            clients.connect(new InetSocketAddress(v4, REUSE_PORT), 5);
            return null;
        });
        Thread.sleep(500); // the first member's queue is full (3) and 2 SYNs were dropped on it
        ns.call(() -> {
            listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), REUSE_PORT), REUSE_WIDE_BACKLOG, true);
            return null;
        });
        abstractListener = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns.name(),
                        ExternalTool.require("socat").toString(),
                        "ABSTRACT-LISTEN:" + ABSTRACT_NAME + ",backlog=2",
                        "/dev/null")
                .redirectErrorStream(true)
                .start();
        exporter = ExporterProcess.start(
                List.of("ip", "netns", "exec", ns.name()),
                EXPORTER_PORT,
                "--netns=self",
                "--sample.interval=" + INTERVAL.toMillis() + "ms");
        ns.call(() -> {
            exporter.awaitReady(Duration.ofSeconds(30));
            return null;
        });
        Thread.sleep(1_500); // queues fill; refused SYNs get retransmitted after 1 s, so drops are > 0

        ssBefore = new SsOracle(ns).tcpListeners();
        synRecvBefore = new SsOracle(ns).synRecvCount(OVERFLOW_PORT);
        nstatBefore = Nstat.read(ns);
        Thread.sleep(3 * INTERVAL.toMillis()); // a sample taken after the "before" readings
        metrics = ns.call(exporter::scrape);
        ssAfter = new SsOracle(ns).tcpListeners();
        nstatAfter = Nstat.read(ns);
    }

    private static void listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(
                address.getAddress() instanceof java.net.Inet4Address
                        ? StandardProtocolFamily.INET
                        : StandardProtocolFamily.INET6);
        if (reusePort) {
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        s.bind(address, backlog);
        sockets.add(s); // never accepted
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(
                exporter,
                clients,
                sockets,
                (AutoCloseable) () -> {
                    if (abstractListener != null) {
                        abstractListener.destroy();
                        abstractListener.waitFor();
                    }
                },
                ns);
        if (unixPath != null) {
            Files.deleteIfExists(unixPath);
            Files.deleteIfExists(unixPath.getParent());
        }
    }

    private static SsOracle.Listener ss(List<SsOracle.Listener> list, String address, int port) {
        List<SsOracle.Listener> found = list.stream()
                .filter(l -> l.address().equals(address) && l.port() == port)
                .toList();
        assertThat(found).as("ss line for %s:%d", address, port).hasSize(1);
        return found.getFirst();
    }

    private static String[] listener(String family, String address, int port) {
        return new String[] {"netns", netns, "family", family, "address", address, "port", Integer.toString(port)};
    }

    @Test
    void overflowedListenerMatchesSs() {
        String[] l = listener("ipv4", "127.0.0.1", OVERFLOW_PORT);
        SsOracle.Listener before = ss(ssBefore, "127.0.0.1", OVERFLOW_PORT);
        SsOracle.Listener after = ss(ssAfter, "127.0.0.1", OVERFLOW_PORT);
        assertThat(metrics.value("listenq_accept_queue_length", l)).isEqualTo(5).isEqualTo(before.recvQ());
        assertThat(metrics.value("listenq_accept_queue_backlog", l))
                .isEqualTo(4)
                .isEqualTo(before.sendQ());
        assertThat(after.recvQ()).isEqualTo(5);
        double drops = metrics.value("listenq_listener_drops_total", l);
        assertThat(drops).isPositive().isBetween((double) before.drops(), (double) after.drops());
        assertThat(metrics.value("listenq_accept_queue_peak_length", l)).isEqualTo(5);
        assertThat(metrics.value("listenq_accept_queue_full_seconds_total", l)).isPositive();
        assertThat(metrics.value("listenq_listener_sockets", l)).isEqualTo(1);
        // present (the full queue made the exporter count), and equal to ss: on loopback a full accept queue
        // drops the SYN before any request socket exists
        assertThat(metrics.value("listenq_syn_queue_length", l)).isEqualTo(synRecvBefore);
    }

    @Test
    void namespaceCountersMatchNstat() {
        String[][] pairs = {
            {"listenq_listen_overflows_total", "TcpExtListenOverflows"},
            {"listenq_listen_drops_total", "TcpExtListenDrops"},
            {"listenq_syn_queue_drops_total", "TcpExtTCPReqQFullDrop"},
            {"listenq_syn_queue_cookies_total", "TcpExtTCPReqQFullDoCookies"},
            {"listenq_syncookies_sent_total", "TcpExtSyncookiesSent"},
            {"listenq_syncookies_received_total", "TcpExtSyncookiesRecv"},
            {"listenq_syncookies_failed_total", "TcpExtSyncookiesFailed"},
            {"listenq_tcp_passive_opens_total", "TcpPassiveOpens"},
        };
        for (String[] p : pairs) {
            assertThat(metrics.value(p[0], "netns", netns)).as(p[0]).isBetween((double) nstatBefore.get(p[1]), (double)
                    nstatAfter.get(p[1]));
        }
        assertThat(metrics.value("listenq_listen_overflows_total", "netns", netns))
                .isPositive();
    }

    @Test
    void somaxconnClampsTheBacklog() {
        assertThat(metrics.value("listenq_somaxconn", "netns", netns)).isEqualTo(64);
        String[] l = listener("ipv4", "127.0.0.1", CLAMPED_PORT);
        assertThat(metrics.value("listenq_accept_queue_backlog", l))
                .isEqualTo(64)
                .isEqualTo(ss(ssBefore, "127.0.0.1", CLAMPED_PORT).sendQ());
        assertThat(metrics.value("listenq_accept_queue_length", l)).isZero();
    }

    @Test
    void ipv6AndDualStackListeners() {
        String[] v6 = listener("ipv6", "::1", V6_PORT);
        assertThat(metrics.value("listenq_accept_queue_length", v6))
                .isEqualTo(3)
                .isEqualTo(ss(ssBefore, "::1", V6_PORT).recvQ());
        assertThat(metrics.value("listenq_accept_queue_backlog", v6)).isEqualTo(2);
        // IPv4 clients of a [::] listener are queued on the IPv6 socket (docs/kernel.md §4)
        String[] dual = listener("ipv6", "::", DUAL_PORT);
        assertThat(metrics.value("listenq_accept_queue_length", dual))
                .isEqualTo(3)
                .isEqualTo(ss(ssBefore, "*", DUAL_PORT).recvQ());
        assertThat(metrics.find("listenq_accept_queue_length", "port", Integer.toString(DUAL_PORT)))
                .hasSize(1);
    }

    @Test
    void unixListenerWithPendingConnections() {
        String[] u = {"netns", netns, "family", "unix", "address", unixPath.toString(), "port", ""};
        assertThat(metrics.value("listenq_accept_queue_length", u)).isEqualTo(4);
        assertThat(metrics.value("listenq_accept_queue_backlog", u)).isEqualTo(3);
        assertThat(metrics.find("listenq_listener_drops_total", "family", "unix"))
                .isEmpty();
        assertThat(metrics.find("listenq_syn_queue_length", "family", "unix")).isEmpty();
    }

    @Test
    void reusePortGroupIsOneSeriesFullWhenAnyMemberIsWithDropsSummed() {
        String[] l = listener("ipv4", "127.0.0.1", REUSE_PORT);
        List<SsOracle.Listener> before = reuseMembers(ssBefore);
        List<SsOracle.Listener> after = reuseMembers(ssAfter);
        assertThat(before).hasSize(2);
        assertThat(metrics.value("listenq_listener_sockets", l)).isEqualTo(2);
        assertThat(metrics.value("listenq_accept_queue_backlog", l))
                .isEqualTo(2 + REUSE_WIDE_BACKLOG)
                .isEqualTo(before.stream().mapToInt(SsOracle.Listener::sendQ).sum());
        double length = metrics.value("listenq_accept_queue_length", l);
        assertThat(length)
                .isEqualTo(before.stream().mapToInt(SsOracle.Listener::recvQ).sum())
                .isLessThan(2 + REUSE_WIDE_BACKLOG);
        // the narrow member is full (ss: Recv-Q > Send-Q), so the group is, though its sums are not
        assertThat(before).anyMatch(m -> m.sendQ() == 2 && m.recvQ() == 3);
        assertThat(metrics.value("listenq_accept_queue_full_seconds_total", l)).isPositive();
        double drops = metrics.value("listenq_listener_drops_total", l);
        assertThat(drops)
                .isPositive()
                .isBetween(
                        (double) before.stream()
                                .mapToLong(SsOracle.Listener::drops)
                                .sum(),
                        (double) after.stream()
                                .mapToLong(SsOracle.Listener::drops)
                                .sum());
    }

    private static List<SsOracle.Listener> reuseMembers(List<SsOracle.Listener> ss) {
        return ss.stream()
                .filter(s -> s.address().equals("127.0.0.1") && s.port() == REUSE_PORT)
                .toList();
    }

    @Test
    void abstractUnixListener() throws Exception {
        String address = "@" + ABSTRACT_NAME;
        String[] u = {"netns", netns, "family", "unix", "address", address, "port", ""};
        List<SsOracle.UnixListener> ss = new SsOracle(ns)
                .unixListeners().stream().filter(x -> x.path().equals(address)).toList();
        assertThat(ss).as("ss -xl shows %s", address).hasSize(1);
        assertThat(metrics.value("listenq_accept_queue_backlog", u))
                .isEqualTo(2)
                .isEqualTo(ss.getFirst().sendQ());
        assertThat(metrics.value("listenq_accept_queue_length", u))
                .isZero()
                .isEqualTo(ss.getFirst().recvQ());
    }

    @Test
    void endpointsNegotiateFormatAndReportState() throws Exception {
        ExporterProcess.Response om = ns.call(() -> ExporterProcess.get(
                EXPORTER_PORT, "/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
        assertThat(om.code()).isEqualTo(200);
        assertThat(om.headers().toLowerCase()).contains("content-type: application/openmetrics-text");
        assertThat(om.body()).endsWith("# EOF\n").contains("# TYPE listenq_listener_drops counter");
        ExporterProcess.Response text = ns.call(() -> ExporterProcess.get(EXPORTER_PORT, "/metrics", null));
        assertThat(text.headers().toLowerCase()).contains("content-type: text/plain; version=0.0.4");
        ExporterProcess.Response landing = ns.call(() -> ExporterProcess.get(EXPORTER_PORT, "/", null));
        assertThat(landing.body())
                .contains("listenq-exporter")
                .contains("href=\"/metrics\"")
                .contains("1 network namespace(s)")
                .contains("Sample interval: 100ms")
                .contains("Namespace mode: self");
        assertThat(ns.call(() -> ExporterProcess.get(EXPORTER_PORT, "/-/healthy", null))
                        .code())
                .isEqualTo(200);
        assertThat(ns.call(() -> ExporterProcess.get(EXPORTER_PORT, "/-/ready", null))
                        .code())
                .isEqualTo(200);
        assertThat(ns.call(() -> ExporterProcess.get(EXPORTER_PORT, "/nothing", null))
                        .code())
                .isEqualTo(404);
    }

    @Test
    void liveScrapePassesPromtool() throws Exception {
        assertThat(ExternalTool.promtoolCheckMetrics(metrics.text()))
                .as("promtool check metrics")
                .isEmpty();
        // the standard self-metrics, once, and nothing about the machine
        assertThat(metrics.text())
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_seconds_total")
                .contains("process_resident_memory_bytes")
                .contains("process_open_fds")
                .contains("listenq_sample_rounds_seconds_count")
                .doesNotContainPattern("(?m)^system_");
        assertThat(metrics.find("listenq_build_info"))
                .singleElement()
                .satisfies(s -> assertThat(s.label("revision")).matches("[0-9a-f]{40}|unknown"));
    }

    @Test
    void selfMetricsSayEveryCollectorWorked() {
        for (String c : new String[] {"netstat", "sysctl", "tcp_listeners", "unix_listeners", "syn_recv"}) {
            assertThat(metrics.value("listenq_collector_success", "collector", c))
                    .as(c)
                    .isEqualTo(1);
        }
        assertThat(metrics.value("listenq_netns")).isEqualTo(1);
        assertThat(metrics.value("listenq_last_sample_timestamp_seconds"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(10.0));
    }
}
