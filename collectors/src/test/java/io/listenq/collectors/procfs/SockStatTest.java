package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.testing.TestNetns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
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
