package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.SsOracle;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.Nstat;
import io.listenq.exporter.testing.Teardown;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One exporter in the host namespace (--netns=all) and 20 namespaces made here, each with its own somaxconn
 * and listeners, three of them overflowing. Everything /metrics says about each namespace must equal what
 * ss and nstat say inside it; the namespace names must be ip netns's.
 */
class AllNamespacesIT {
    private static final int COUNT = 20;
    private static final Set<Integer> OVERFLOWING = Set.of(3, 9, 17);
    private static final int PORT_A = 7000;
    private static final int PORT_B = 7001;
    /** One run's namespaces: another build on the machine may be running this test with its own. */
    private static final String PREFIX =
            "lq-all" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));

    private static final String BAD = PREFIX + "-bad";
    private static String badInode;
    private static boolean badMounted;

    private static final List<TestNetns> namespaces = new ArrayList<>();
    private static final Map<TestNetns, String> inodes = new HashMap<>();
    private static final List<ServerSocketChannel> listeners = new ArrayList<>();
    private static OverflowClient clients;
    private static ExporterProcess exporter;

    private static final Map<TestNetns, List<SsOracle.Listener>> ssBefore = new HashMap<>();
    private static final Map<TestNetns, List<SsOracle.Listener>> ssAfter = new HashMap<>();
    private static final Map<TestNetns, Map<String, Long>> nstatBefore = new HashMap<>();
    private static final Map<TestNetns, Map<String, Long>> nstatAfter = new HashMap<>();
    private static MetricsText metrics;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        clients = new OverflowClient();
        for (int i = 0; i < COUNT; i++) {
            TestNetns ns = TestNetns.create(PREFIX);
            namespaces.add(ns);
            inodes.put(ns, ns.inode());
            ns.sysctl("net.core.somaxconn", Integer.toString(64 + 8 * i));
            boolean overflow = OVERFLOWING.contains(i);
            ns.call(() -> {
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                listeners.add(listen(new InetSocketAddress(lo, PORT_A), overflow ? 4 : 1000));
                listeners.add(listen(new InetSocketAddress(lo, PORT_B), 16));
                if (overflow) {
                    clients.connect(new InetSocketAddress(lo, PORT_A), 20);
                }
                return null;
            });
        }
        // A namespace file that cannot be entered: a UTS namespace bound where ip netns keeps network ones. It is
        // on nsfs like them, so discovery lists it, and setns(fd, CLONE_NEWNET) refuses it (EINVAL).
        Path bad = Path.of("/run/netns", BAD);
        Files.createFile(bad);
        badMounted = true;
        run("mount", "--bind", "/proc/self/ns/uts", bad.toString());
        badInode = NetnsId.of(bad).inodeText();
        int port = ExporterProcess.freePort();
        exporter = ExporterProcess.start(
                List.of(),
                port,
                "--netns=all",
                "--sample.interval=200ms",
                "--netns.refresh-interval=1s",
                "--netns.include=" + PREFIX + "-.*|host");
        exporter.awaitReady(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (exporter.scrape().find("listenq_netns_info").size() < COUNT + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(1_500); // overflowed clients retransmit: drops > 0

        for (TestNetns ns : namespaces) {
            ssBefore.put(ns, new SsOracle(ns).tcpListeners());
            nstatBefore.put(ns, Nstat.read(ns));
        }
        Thread.sleep(600);
        metrics = exporter.scrape();
        for (TestNetns ns : namespaces) {
            ssAfter.put(ns, new SsOracle(ns).tcpListeners());
            nstatAfter.put(ns, Nstat.read(ns));
        }
    }

    private static ServerSocketChannel listen(InetSocketAddress address, int backlog) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
        s.bind(address, backlog);
        return s;
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(exporter, clients, listeners, namespaces, (AutoCloseable) () -> {
            if (badMounted) {
                run("ip", "netns", "delete", BAD); // unmounts and removes the file
            }
        });
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Test
    void aNamespaceThatCannotBeEnteredIsCountedWhileTheOthersAreServed() throws Exception {
        assertThat(metrics.find("listenq_netns_info", "name", BAD)).isEmpty();
        // setns(fd, CLONE_NEWNET) on a UTS namespace's fd: EINVAL, which is the not_a_namespace reason
        assertThat(metrics.value("listenq_netns_errors_total", "reason", "not_a_namespace"))
                .as("listenq_netns_errors_total{reason=not_a_namespace}")
                .isPositive();
        assertThat(exporter.output())
                .as("a log line names the namespace it could not enter")
                .satisfiesAnyOf(
                        log -> assertThat(log).contains(BAD),
                        log -> assertThat(log).contains(badInode));
        assertThat(metrics.value("listenq_netns")).isEqualTo(COUNT + 1); // every good one, and the host
        for (TestNetns ns : namespaces) {
            assertThat(metrics.find("listenq_accept_queue_length", "netns", inodes.get(ns)))
                    .as(ns.name())
                    .hasSize(2);
        }
    }

    @Test
    void everyNamespaceIsSampledWithItsIpNetnsName() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String line : new String(new ProcessBuilder("ip", "netns", "list")
                        .start()
                        .getInputStream()
                        .readAllBytes())
                .split("\n")) {
            String name = line.split(" ")[0];
            if (namespaces.stream().anyMatch(ns -> ns.name().equals(name))) {
                expected.add(name);
            }
        }
        assertThat(expected).hasSize(COUNT);
        Set<String> named = new TreeSet<>();
        for (MetricsText.Sample s : metrics.find("listenq_netns_info")) {
            if (s.label("name").startsWith(PREFIX + "-")) {
                named.add(s.label("name"));
            }
        }
        assertThat(named).isEqualTo(expected);
        for (TestNetns ns : namespaces) {
            assertThat(metrics.single("listenq_netns_info", "name", ns.name())
                            .orElseThrow()
                            .label("netns"))
                    .isEqualTo(inodes.get(ns));
        }
        assertThat(metrics.find("listenq_netns_info", "name", "host")).hasSize(1);
        assertThat(metrics.value("listenq_netns")).isEqualTo(COUNT + 1);
        assertThat(metrics.value("listenq_collector_success", "collector", "netns_discovery"))
                .isEqualTo(1);
    }

    @Test
    void everyNamespaceMatchesSsAndNstat() {
        for (int i = 0; i < COUNT; i++) {
            TestNetns ns = namespaces.get(i);
            String netns = inodes.get(ns);
            assertThat(metrics.value("listenq_somaxconn", "netns", netns))
                    .as(ns.name())
                    .isEqualTo(64 + 8 * i);
            for (int port : new int[] {PORT_A, PORT_B}) {
                String[] l = {"netns", netns, "family", "ipv4", "address", "127.0.0.1", "port", Integer.toString(port)};
                SsOracle.Listener before = find(ssBefore.get(ns), port);
                SsOracle.Listener after = find(ssAfter.get(ns), port);
                String what = ns.name() + ":" + port;
                assertThat(metrics.value("listenq_accept_queue_length", l))
                        .as(what)
                        .isEqualTo(before.recvQ())
                        .isEqualTo(after.recvQ());
                assertThat(metrics.value("listenq_accept_queue_backlog", l))
                        .as(what)
                        .isEqualTo(before.sendQ());
                assertThat(metrics.value("listenq_listener_drops_total", l))
                        .as(what)
                        .isBetween((double) before.drops(), (double) after.drops());
            }
            for (String[] p : new String[][] {
                {"listenq_listen_overflows_total", "TcpExtListenOverflows"},
                {"listenq_listen_drops_total", "TcpExtListenDrops"},
                {"listenq_tcp_passive_opens_total", "TcpPassiveOpens"},
                {"listenq_syn_queue_cookies_total", "TcpExtTCPReqQFullDoCookies"}
            }) {
                assertThat(metrics.value(p[0], "netns", netns))
                        .as(ns.name() + " " + p[0])
                        .isBetween((double) nstatBefore.get(ns).get(p[1]), (double)
                                nstatAfter.get(ns).get(p[1]));
            }
            double overflows = metrics.value("listenq_listen_overflows_total", "netns", netns);
            if (OVERFLOWING.contains(i)) {
                assertThat(overflows).as(ns.name()).isPositive();
                assertThat(metrics.value("listenq_accept_queue_length", "netns", netns, "port", "7000"))
                        .isEqualTo(5);
            } else {
                assertThat(overflows).as(ns.name()).isZero();
            }
        }
    }

    private static SsOracle.Listener find(List<SsOracle.Listener> list, int port) {
        return list.stream().filter(l -> l.port() == port).findFirst().orElseThrow();
    }
}
