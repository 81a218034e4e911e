package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Full SYN queues on a live kernel: a server namespace and a client namespace joined by a veth pair, and in the
 * client namespace an iptables rule that drops every SYN-ACK. The client's handshakes therefore stay half-open on
 * the server (request sockets in SYN-RECV, the SYN-ACK retransmitted) and, once the SYN queue holds backlog + 1
 * (docs/kernel.md §4), every further SYN meets a full queue: dropped with tcp_syncookies=0 (TCPReqQFullDrop),
 * answered with a cookie with tcp_syncookies=1 (TCPReqQFullDoCookies, SyncookiesSent). None of these handshakes
 * completes, so PassiveOpens does not move for them: ListenDrops and TCPReqQFull* are what tell the exporter
 * (skip-idle on, the default) that a dump is due. The exporter runs in the server namespace; ss and nstat there are the oracle, read before and
 * after the scrape (clients resend their SYNs, so the counters keep moving).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynQueueIT {
    private static final String SERVER = "192.0.2.1";
    private static final String CLIENT = "192.0.2.2";
    private static final int BACKLOG = 2;
    private static final int EXPORTER_PORT = 9469;
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static TestNetns server;
    private static TestNetns client;
    private static ExporterProcess exporter;
    private static String netns;
    private static final List<AutoCloseable> sockets = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        ExternalTool.require("iptables");
        ExternalTool.require("nstat");
        server = TestNetns.create("lq-synsrv");
        client = TestNetns.create("lq-syncli");
        netns = server.inode();
        // interface names are per namespace: made inside the server's, the peer moved straight to the client's
        server.exec("ip", "link", "add", "lqv0", "type", "veth", "peer", "name", "lqv1", "netns", client.name());
        server.exec("ip", "addr", "add", SERVER + "/24", "dev", "lqv0");
        server.exec("ip", "link", "set", "lqv0", "up");
        client.exec("ip", "addr", "add", CLIENT + "/24", "dev", "lqv1");
        client.exec("ip", "link", "set", "lqv1", "up");
        client.exec("iptables", "-A", "INPUT", "-p", "tcp", "--tcp-flags", "SYN,ACK", "SYN,ACK", "-j", "DROP");
        server.sysctl("net.ipv4.tcp_syncookies", "0");
        exporter = ExporterProcess.start(
                List.of("ip", "netns", "exec", server.name()),
                EXPORTER_PORT,
                "--netns=self",
                "--sample.interval=" + INTERVAL.toMillis() + "ms",
                "--sample.syn-queue-interval=" + INTERVAL.toMillis() + "ms");
        server.call(() -> {
            exporter.awaitReady(Duration.ofSeconds(30));
            return null;
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(exporter, sockets, client, server);
    }

    /** Readings of one moment: ss's SYN-RECV count for a port, and nstat. */
    private record Oracle(int synRecv, Map<String, Long> nstat) {
        static Oracle read(int port) throws IOException {
            return new Oracle(new SsOracle(server).synRecvCount(port), Nstat.read(server));
        }

        long counter(String name) {
            return nstat.getOrDefault(name, 0L);
        }
    }

    /** A listener that is never accepted from, and {@code clients} non-blocking connects to it from the client side. */
    private static void fill(int port, int clients) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(SERVER), port);
        server.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET); // not dual-stack
            s.bind(address, BACKLOG);
            sockets.add(s);
            return null;
        });
        Thread.sleep(5 * INTERVAL.toMillis()); // the exporter has seen the listener, empty, before any SYN
        client.call(() -> {
            for (int i = 0; i < clients; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                c.configureBlocking(false);
                c.connect(address); // SYN sent; the SYN-ACK will be dropped, so it stays pending
                sockets.add(c);
            }
            return null;
        });
    }

    private static void await(String what, int port, Predicate<Oracle> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Oracle o = Oracle.read(port);
        while (!done.test(o)) {
            assertThat(System.nanoTime())
                    .as("%s; last: ss %d, nstat %s", what, o.synRecv(), o.nstat())
                    .isLessThan(deadline);
            Thread.sleep(100);
            o = Oracle.read(port);
        }
    }

    private static String[] listener(int port) {
        return new String[] {"netns", netns, "family", "ipv4", "address", SERVER, "port", Integer.toString(port)};
    }

    private static void assertBetween(MetricsText m, String metric, String counter, Oracle before, Oracle after) {
        double value = m.value(metric, "netns", netns);
        assertThat(value)
                .as("%s against nstat %s", metric, counter)
                .isBetween((double) before.counter(counter), (double) after.counter(counter));
    }

    @Test
    @Order(1)
    void syncookiesOffFullSynQueueDropsSyns() throws Exception {
        int port = 8090;
        int clients = 6;
        fill(port, clients);
        // the queue holds backlog + 1 requests; the other clients' SYNs are dropped
        await(
                "a full SYN queue and TCPReqQFullDrop",
                port,
                o -> o.synRecv() == BACKLOG + 1 && o.counter("TcpExtTCPReqQFullDrop") >= clients - BACKLOG - 1);
        Oracle before = Oracle.read(port);
        Thread.sleep(3 * INTERVAL.toMillis()); // a sample taken after the "before" readings
        MetricsText m = server.call(exporter::scrape);
        Oracle after = Oracle.read(port);

        assertThat(m.value("listenq_syn_queue_length", listener(port)))
                .isEqualTo(before.synRecv())
                .isEqualTo(after.synRecv())
                .isEqualTo(BACKLOG + 1);
        assertThat(m.value("listenq_accept_queue_length", listener(port))).isZero();
        assertThat(m.value("listenq_syn_queue_drops_total", "netns", netns)).isPositive();
        assertBetween(m, "listenq_syn_queue_drops_total", "TcpExtTCPReqQFullDrop", before, after);
        assertBetween(m, "listenq_listen_drops_total", "TcpExtListenDrops", before, after);
        assertBetween(m, "listenq_syn_queue_cookies_total", "TcpExtTCPReqQFullDoCookies", before, after);
        assertBetween(m, "listenq_syncookies_sent_total", "TcpExtSyncookiesSent", before, after);
        assertThat(m.value("listenq_syn_queue_cookies_total", "netns", netns)).isZero();
        // the exporter's own HTTP connections are the only handshakes that complete here
        assertBetween(m, "listenq_tcp_passive_opens_total", "TcpPassiveOpens", before, after);
    }

    @Test
    @Order(2)
    void syncookiesOnFullSynQueueSendsCookies() throws Exception {
        int port = 8091;
        server.sysctl("net.ipv4.tcp_syncookies", "1");
        long cookiesBefore = Nstat.read(server).getOrDefault("TcpExtTCPReqQFullDoCookies", 0L);
        // more clients than before, so the cookie count cannot equal the drop count of the first test by chance
        // (a swapped mapping must not pass)
        int clients = 12;
        fill(port, clients);
        await(
                "a full SYN queue and TCPReqQFullDoCookies",
                port,
                o -> o.synRecv() == BACKLOG + 1
                        && o.counter("TcpExtTCPReqQFullDoCookies") >= cookiesBefore + clients - BACKLOG - 1);
        Oracle before = Oracle.read(port);
        Thread.sleep(3 * INTERVAL.toMillis());
        MetricsText m = server.call(exporter::scrape);
        Oracle after = Oracle.read(port);

        assertThat(m.value("listenq_syn_queue_length", listener(port)))
                .isEqualTo(before.synRecv())
                .isEqualTo(after.synRecv())
                .isEqualTo(BACKLOG + 1);
        assertThat(m.value("listenq_syn_queue_cookies_total", "netns", netns)).isPositive();
        assertThat(m.value("listenq_syncookies_sent_total", "netns", netns)).isPositive();
        assertBetween(m, "listenq_syn_queue_cookies_total", "TcpExtTCPReqQFullDoCookies", before, after);
        assertBetween(m, "listenq_syncookies_sent_total", "TcpExtSyncookiesSent", before, after);
        assertBetween(m, "listenq_syn_queue_drops_total", "TcpExtTCPReqQFullDrop", before, after);
        assertBetween(m, "listenq_listen_drops_total", "TcpExtListenDrops", before, after);
        assertBetween(m, "listenq_syncookies_received_total", "TcpExtSyncookiesRecv", before, after);
        assertBetween(m, "listenq_tcp_passive_opens_total", "TcpPassiveOpens", before, after);
    }
}
