package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.testing.TestNetns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SockStatTest {
    @Test
    void readsInuseFromRealCaptures() throws Exception {
        String v4 = Files.readString(Path.of("src/test/resources/procfs/sockstat"));
        String v6 = Files.readString(Path.of("src/test/resources/procfs/sockstat6"));
        long expected = Long.parseLong(v4.lines()
                .filter(l -> l.startsWith("TCP:"))
                .findFirst()
                .orElseThrow()
                .split(" ")[2]);
        assertThat(SockStat.inuse("sockstat", v4, "TCP")).isEqualTo(expected);
        assertThat(SockStat.inuse("sockstat6", v6, "TCP6")).isNotNegative();
        assertThat(SockStat.inuse("sockstat", v4, "UDP")).isNotNegative();
    }

    @Test
    void socketsUsedAndTheIpInuseCounts() throws Exception {
        ProcBytes v4 = ProcBytes.of(Files.readString(Path.of("src/test/resources/procfs/sockstat")));
        ProcBytes v6 = ProcBytes.of(Files.readString(Path.of("src/test/resources/procfs/sockstat6")));
        assertThat(SockStat.used("sockstat", v4)).isEqualTo(10);
        assertThat(SockStat.ipInUse("sockstat", v4))
                .as("TCP 1, UDP, UDPLITE, RAW 0; FRAG is no socket")
                .isEqualTo(1);
        assertThat(SockStat.ipInUse("sockstat6", v6)).isZero();
        ProcBytes all = ProcBytes.of("sockets: used 9\nTCP: inuse 2 orphan 0 tw 0 alloc 9 mem 1\nUDP: inuse 3 mem 0\n"
                + "RAW: inuse 1\nFRAG: inuse 5 memory 0\n");
        assertThat(SockStat.ipInUse("s", all))
                .as("no UDPLITE line: adds nothing")
                .isEqualTo(6);
        assertThatThrownBy(() -> SockStat.used("s", ProcBytes.of("TCP: inuse 1\n")))
                .isInstanceOf(ProcfsFormatException.class)
                .hasMessageContaining("no 'sockets: used' line");
        assertThatThrownBy(() -> SockStat.used("s", ProcBytes.of("sockets: used x\n")))
                .isInstanceOf(ProcfsFormatException.class);
    }

    /**
     * The kernel facts the unix skip rests on: every socket a process holds is in {@code sockets: used}, IP ones also
     * in their {@code inuse} once hashed, and a unix socket only in {@code used}.
     */
    @Test
    void aUnixSocketIsCountedAsANonIpSocket() throws Exception {
        TestNetns.assumeRootWithIproute();
        // The JDK opens sockets of its own the first time channels are used (sun.nio.ch.UnixDispatcher's pre-close
        // socket pair, among others), in the namespace of the thread that does: here, not in the test's namespace.
        ServerSocketChannel.open(StandardProtocolFamily.INET).close();
        ServerSocketChannel.open(StandardProtocolFamily.INET6).close();
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).close();
        try (TestNetns ns = TestNetns.create("lq-sockstat")) {
            long[] counts = ns.call(() -> {
                try (NetCounterFiles files = NetCounterFiles.open(Path.of("/proc"), ProcNet.THREAD_SELF)) {
                    files.tcpInUse();
                    long empty = files.nonIpSockets();
                    try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET);
                            ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
                        v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7000), 4);
                        v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 7000), 4);
                        files.tcpInUse();
                        long listening = files.nonIpSockets();
                        try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                            files.tcpInUse();
                            long unixOpen = files.nonIpSockets();
                            unix.bind(UnixDomainSocketAddress.of(
                                    Files.createTempDirectory("lq-sockstat").resolve("s")));
                            files.tcpInUse();
                            return new long[] {empty, listening, unixOpen, files.nonIpSockets()};
                        }
                    }
                }
            });
            // Against what the new namespace held before (nothing in a lone run; the JVM's own sockets when other
            // tests made it open some there first, as seen once in a full build):
            assertThat(counts[0]).as("a new namespace").isNotNegative();
            assertThat(counts[1] - counts[0])
                    .as("two TCP listeners: hashed, so IP")
                    .isZero();
            assertThat(counts[2] - counts[0])
                    .as("a unix socket, not yet listening")
                    .isEqualTo(1);
            assertThat(counts[3] - counts[0]).as("and listening").isEqualTo(1);
        }
    }

    @Test
    void malformedInputIsATypedError() throws ProcfsFormatException {
        assertThatThrownBy(() -> SockStat.inuse("s", "UDP: inuse 1\n", "TCP"))
                .isInstanceOf(ProcfsFormatException.class)
                .hasMessageContaining("no 'TCP: inuse' line");
        assertThatThrownBy(() -> SockStat.inuse("s", "sockets: used 1\nTCP: inuse x orphan 0\n", "TCP"))
                .isInstanceOf(ProcfsFormatException.class)
                .hasMessageContaining("s:2");
        assertThatThrownBy(() -> SockStat.inuse("s", "TCP: inuse 12x\n", "TCP"))
                .isInstanceOf(ProcfsFormatException.class);
        assertThat(SockStat.inuse("s", "TCP: inuse 12", "TCP")).isEqualTo(12);
    }

    /** The point of reading it: a listen() in one namespace moves that namespace's count, and only its. */
    @Test
    void aListenerMovesItsOwnNamespacesCount() throws Exception {
        TestNetns.assumeRootWithIproute();
        try (TestNetns ns = TestNetns.create("lq-sockstat");
                TestNetns other = TestNetns.create("lq-sockstat")) {
            NetCounterFiles otherFiles = other.call(() -> NetCounterFiles.open(Path.of("/proc"), ProcNet.THREAD_SELF));
            long[] counts = ns.call(() -> {
                try (NetCounterFiles files = NetCounterFiles.open(Path.of("/proc"), ProcNet.THREAD_SELF)) {
                    long before = files.tcpInUse();
                    try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET);
                            ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
                        v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7000), 4);
                        v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 7000), 4);
                        return new long[] {before, files.tcpInUse(), otherFiles.tcpInUse()};
                    }
                }
            });
            assertThat(counts[0]).isZero();
            assertThat(counts[1]).isEqualTo(2);
            assertThat(counts[2])
                    .as("another namespace's count (read from here, opened there)")
                    .isZero();
            otherFiles.close();
        }
    }
}
