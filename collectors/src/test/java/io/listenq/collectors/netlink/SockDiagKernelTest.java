package io.listenq.collectors.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.SsOracle;
import io.listenq.collectors.testing.TestNetns;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SockDiag against the running kernel, in a namespace made for the test, with ss in that namespace
 * as the oracle. Needs root (aborted otherwise).
 */
class SockDiagKernelTest {
    private static TestNetns ns;
    private static SsOracle ss;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @BeforeAll
    static void createNamespace() throws IOException {
        TestNetns.assumeRootWithIproute();
        ns = TestNetns.create("lq-nl");
        ns.sysctl("net.core.somaxconn", "64"); // before any listen(): backlogs are fixed at listen time
        ss = new SsOracle(ns);
    }

    @AfterAll
    static void deleteNamespace() throws IOException {
        if (ns != null) {
            ns.close();
        }
    }

    @AfterEach
    void closeSockets() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /** A listener created on the namespace thread. */
    private ServerSocketChannel listen(
            StandardProtocolFamily family, String address, int port, int backlog, boolean reusePort) throws Exception {
        return closeLater(ns.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open(family);
            if (reusePort) {
                s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port), backlog);
            return s;
        }));
    }

    private static int port(ServerSocketChannel s) throws IOException {
        return ((InetSocketAddress) s.getLocalAddress()).getPort();
    }

    private static List<TcpListener> dump(int family) throws Exception {
        return ns.call(() -> {
            try (SockDiag diag = SockDiag.open()) {
                return diag.tcpListeners(family);
            }
        });
    }

    private static TcpListener only(List<TcpListener> listeners, int port) {
        assertThat(listeners).filteredOn(l -> l.port() == port).hasSize(1);
        return listeners.stream().filter(l -> l.port() == port).findFirst().orElseThrow();
    }

    private static SsOracle.Listener ssListener(int port) throws IOException {
        List<SsOracle.Listener> found =
                ss.tcpListeners().stream().filter(l -> l.port() == port).toList();
        assertThat(found).as("ss listeners on port %d", port).hasSize(1);
        return found.getFirst();
    }

    @Test
    void overflowedListenerMatchesSs() throws Exception {
        ServerSocketChannel server = listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 4, false);
        int port = port(server);
        OverflowClient clients = closeLater(new OverflowClient());
        ns.call(() -> {
            clients.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 30);
            return null;
        });
        Thread.sleep(1_500);

        SsOracle.Listener before = ssListener(port);
        TcpListener l = only(dump(Native.AF_INET), port);
        SsOracle.Listener after = ssListener(port);

        assertThat(l.addressText()).isEqualTo("127.0.0.1");
        assertThat(l.acceptQueue()).isEqualTo(5).isEqualTo(before.recvQ()).isEqualTo(after.recvQ());
        assertThat(l.backlog()).isEqualTo(4).isEqualTo(before.sendQ()).isEqualTo(after.sendQ());
        assertThat(l.drops().orElseThrow()).isPositive().isBetween(before.drops(), after.drops());
        assertThat(l.inode()).isPositive();
        assertThat(l.acceptQueueFull()).isTrue();
    }

    @Test
    void somaxconnClampsBacklog() throws Exception {
        ServerSocketChannel server = listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 1000, false);
        TcpListener l = only(dump(Native.AF_INET), port(server));
        assertThat(l.backlog()).isEqualTo(64).isEqualTo(ssListener(port(server)).sendQ());
        assertThat(l.acceptQueue()).isZero();
    }

    @Test
    void ipv6LoopbackListenerIsInTheIpv6DumpOnly() throws Exception {
        ServerSocketChannel server = listen(StandardProtocolFamily.INET6, "::1", 0, 7, false);
        TcpListener l = only(dump(Native.AF_INET6), port(server));
        assertThat(l.addressText()).isEqualTo("::1");
        assertThat(l.familyName()).isEqualTo("ipv6");
        assertThat(l.backlog()).isEqualTo(7).isEqualTo(ssListener(port(server)).sendQ());
        assertThat(dump(Native.AF_INET)).extracting(TcpListener::cookie).doesNotContain(l.cookie());
    }

    @Test
    void dualStackListenerCountsIpv4ClientsInTheIpv6Dump() throws Exception {
        ServerSocketChannel server = listen(StandardProtocolFamily.INET6, "::", 0, 16, false);
        int port = port(server);
        ns.call(() -> {
            for (int i = 0; i < 3; i++) {
                closeLater(SocketChannel.open(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
            }
            return null;
        });
        TcpListener l = only(dump(Native.AF_INET6), port);
        assertThat(l.addressText()).isEqualTo("::");
        assertThat(l.acceptQueue()).isEqualTo(3).isEqualTo(ssListener(port).recvQ());
        assertThat(dump(Native.AF_INET)).extracting(TcpListener::port).doesNotContain(port);
    }

    @Test
    void reusePortListenersAreReportedSeparately() throws Exception {
        ServerSocketChannel first = listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 5, true);
        int port = port(first);
        listen(StandardProtocolFamily.INET, "127.0.0.1", port, 6, true);
        List<TcpListener> group =
                dump(Native.AF_INET).stream().filter(l -> l.port() == port).toList();
        assertThat(group).hasSize(2);
        assertThat(group).extracting(TcpListener::backlog).containsExactlyInAnyOrder(5, 6);
        assertThat(group.get(0).inode()).isNotEqualTo(group.get(1).inode());
        assertThat(group.get(0).cookie()).isNotEqualTo(group.get(1).cookie());
        assertThat(ss.tcpListeners()).filteredOn(s -> s.port() == port).hasSize(2);
    }

    @Test
    void unixListenerPendingAndBacklog() throws Exception {
        Path dir = Files.createTempDirectory("lq-nl");
        Path path = dir.resolve("l.sock");
        closeLater(() -> {
            Files.deleteIfExists(path);
            Files.delete(dir);
        });
        ns.call(() -> {
            ServerSocketChannel server = closeLater(ServerSocketChannel.open(StandardProtocolFamily.UNIX));
            server.bind(UnixDomainSocketAddress.of(path), 3);
            for (int i = 0; i < 4; i++) { // backlog + 1 fit, like TCP
                SocketChannel c = closeLater(SocketChannel.open(StandardProtocolFamily.UNIX));
                c.configureBlocking(false);
                c.connect(UnixDomainSocketAddress.of(path));
            }
            return null;
        });
        List<UnixListener> listeners = ns.call(() -> {
            try (SockDiag diag = SockDiag.open()) {
                return diag.unixListeners();
            }
        });
        UnixListener l = listeners.stream()
                .filter(u -> u.path().equals(path.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(l.pending()).isEqualTo(4);
        assertThat(l.backlog()).isEqualTo(3);
        SsOracle.UnixListener s = ss.unixListeners().stream()
                .filter(u -> u.path().equals(path.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(l.pending()).isEqualTo(s.recvQ());
        assertThat(l.backlog()).isEqualTo(s.sendQ());
    }

    @Test
    void unchangedUnixDumpGivesTheSameListAndAChangeIsSeen() throws Exception {
        Path dir = Files.createTempDirectory("lq-nl");
        Path path = dir.resolve("m.sock");
        closeLater(() -> {
            Files.deleteIfExists(path);
            Files.delete(dir);
        });
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        ns.call(() -> closeLater(ServerSocketChannel.open(StandardProtocolFamily.UNIX))
                .bind(address, 8));
        SockDiag diag = closeLater(ns.call(SockDiag::open));
        List<UnixListener> first = diag.unixListeners();
        assertThat(pending(first, path)).isZero();
        assertThat(diag.unixListeners())
                .as("the same reply bytes: the same list")
                .isSameAs(first);

        ns.call(() -> {
            SocketChannel c = closeLater(SocketChannel.open(StandardProtocolFamily.UNIX));
            c.configureBlocking(false);
            return c.connect(address);
        });
        List<UnixListener> after = diag.unixListeners();
        assertThat(after).isNotSameAs(first);
        assertThat(pending(after, path)).isEqualTo(1);
        SsOracle.UnixListener s = ss.unixListeners().stream()
                .filter(u -> u.path().equals(path.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(pending(after, path)).isEqualTo(s.recvQ());
        assertThat(diag.unixListeners()).isSameAs(after);
    }

    private static int pending(List<UnixListener> listeners, Path path) {
        return listeners.stream()
                .filter(u -> u.path().equals(path.toString()))
                .findFirst()
                .orElseThrow()
                .pending();
    }

    @Test
    void synRecvOfDeferAcceptListenerMatchesSs() throws Exception {
        OverflowClient netty = closeLater(new OverflowClient());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int port = ns.call(() -> {
            var server = netty.deferAcceptListener(new InetSocketAddress(loopback, 0), 16, 60);
            int p = ((InetSocketAddress) server.localAddress()).getPort();
            netty.connect(new InetSocketAddress(loopback, p), 3);
            return p;
        });
        for (int i = 0; i < 30 && ss.synRecvCount(port) < 3; i++) {
            Thread.sleep(100);
        }
        int ssBefore = ss.synRecvCount(port);
        List<SynRecv> v4;
        List<SynRecv> v6;
        TcpListener listener;
        try (SockDiag diag = ns.call(SockDiag::open)) {
            // Used from this (host namespace) thread: the socket stays in the namespace it was made in.
            v4 = diag.synRecv(Native.AF_INET).stream()
                    .filter(r -> r.port() == port)
                    .toList();
            v6 = diag.synRecv(Native.AF_INET6);
            listener = only(diag.tcpListeners(Native.AF_INET), port);
        }
        assertThat(v4).hasSize(3).hasSize(ssBefore).hasSize(ss.synRecvCount(port));
        assertThat(v4).allSatisfy(r -> assertThat(r.belongsTo(listener)).isTrue());
        assertThat(v6).filteredOn(r -> r.port() == port).isEmpty();
    }

    /**
     * The one-walk (TCPDIAG_GETSOCK) dumps return exactly the records of the two per-family dumps, in the same order:
     * IPv4, IPv6, dual-stack with IPv4 clients, a v4-mapped listener, SO_REUSEPORT, and SYN-RECV request sockets of
     * both families (docs/kernel.md §2).
     */
    @Test
    void oneWalkDumpsEqualThePerFamilyDumps() throws Exception {
        int v4 = port(listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 5, false));
        listen(StandardProtocolFamily.INET, "0.0.0.0", 0, 9, false);
        int reuse = port(listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 3, true));
        listen(StandardProtocolFamily.INET, "127.0.0.1", reuse, 4, true);
        int v6 = port(listen(StandardProtocolFamily.INET6, "::1", 0, 6, false));
        int dual = port(listen(StandardProtocolFamily.INET6, "::", 0, 16, false));
        int mapped = port(listen(StandardProtocolFamily.INET6, "::ffff:127.0.0.1", 0, 7, false));
        OverflowClient netty = closeLater(new OverflowClient());
        InetAddress loopback4 = InetAddress.getByName("127.0.0.1");
        int[] deferred = ns.call(() -> {
            for (int i = 0; i < 2; i++) {
                closeLater(SocketChannel.open(new InetSocketAddress(loopback4, dual)));
                closeLater(SocketChannel.open(new InetSocketAddress(loopback4, v4)));
            }
            closeLater(SocketChannel.open(new InetSocketAddress(InetAddress.getByName("::1"), v6)));
            var four = netty.deferAcceptListener(new InetSocketAddress(loopback4, 0), 16, 60);
            var both = netty.deferAcceptListener(new InetSocketAddress(InetAddress.getByName("::"), 0), 16, 60);
            int p4 = ((InetSocketAddress) four.localAddress()).getPort();
            int p6 = ((InetSocketAddress) both.localAddress()).getPort();
            netty.connect(new InetSocketAddress(loopback4, p4), 2);
            netty.connect(new InetSocketAddress(loopback4, p6), 2);
            netty.connect(new InetSocketAddress(InetAddress.getByName("::1"), p6), 1);
            return new int[] {p4, p6};
        });
        for (int i = 0; i < 30 && ss.synRecvCount(deferred[0]) + ss.synRecvCount(deferred[1]) < 5; i++) {
            Thread.sleep(100);
        }
        try (SockDiag diag = ns.call(SockDiag::open)) {
            List<TcpListener> perFamily = new ArrayList<>(diag.tcpListeners(Native.AF_INET));
            perFamily.addAll(diag.tcpListeners(Native.AF_INET6));
            List<TcpListener> oneWalk = diag.tcpListeners();
            assertThat(oneWalk).isEqualTo(perFamily).hasSize(ss.tcpListeners().size());
            assertThat(oneWalk)
                    .extracting(TcpListener::port)
                    .contains(v4, reuse, v6, dual, mapped, deferred[0], deferred[1]);
            assertThat(only(oneWalk, dual).acceptQueue()).isEqualTo(2);
            assertThat(only(oneWalk, mapped).addressText()).isEqualTo("::ffff:127.0.0.1");
            assertThat(oneWalk).filteredOn(l -> l.port() == reuse).hasSize(2);

            List<SynRecv> requests = new ArrayList<>(diag.synRecv(Native.AF_INET));
            requests.addAll(diag.synRecv(Native.AF_INET6));
            List<SynRecv> oneWalkRequests = diag.synRecv();
            assertThat(oneWalkRequests).isEqualTo(requests);
            assertThat(oneWalkRequests).filteredOn(r -> r.port() == deferred[0]).hasSize(2);
            assertThat(oneWalkRequests)
                    .filteredOn(r -> r.port() == deferred[1])
                    .extracting(SynRecv::addressText)
                    .containsExactlyInAnyOrder("::ffff:127.0.0.1", "::ffff:127.0.0.1", "::1");
        }
    }

    @Test
    void socketOpenedInNamespaceSeesOnlyThatNamespace() throws Exception {
        ServerSocketChannel server = listen(StandardProtocolFamily.INET, "127.0.0.1", 0, 2, false);
        long cookie = only(dump(Native.AF_INET), port(server)).cookie();
        SockDiag host = SockDiag.open();
        try {
            assertThat(host.fd()).isNotNegative();
            assertThat(host.tcpListeners(Native.AF_INET))
                    .extracting(TcpListener::cookie)
                    .doesNotContain(cookie);
        } finally {
            host.close();
        }
        host.close(); // idempotent
        assertThatThrownBy(() -> host.tcpListeners(Native.AF_INET)).isInstanceOf(IllegalStateException.class);
    }
}
