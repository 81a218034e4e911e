package io.listenq.collectors.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.SsOracle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Decoders on reply bytes captured from a real kernel (see src/test/resources/netlink/README.md),
 * checked against what ss printed at the same moment (the .ss.txt next to each .bin).
 */
class CapturedRepliesTest {
    private static final Pattern SS_INODE_COOKIE = Pattern.compile(":(\\d+) .*ino:(\\d+) sk:([0-9a-f]+)");

    static ByteBuffer resource(String name) {
        return ByteBuffer.wrap(Captures.bytes("netlink/" + name)).order(ByteOrder.nativeOrder());
    }

    static String text(String name) {
        return Captures.text("netlink/" + name);
    }

    /** Runs the same per-datagram loop SockDiag uses; the capture is one or more whole datagrams. */
    static <T> List<T> decodeAll(String name, Decoder<T> decoder) throws IOException {
        return decodeAll(name, InetDiag.SOCK_DIAG_BY_FAMILY, decoder);
    }

    /** {@link #decodeAll(String, Decoder)} of a dump whose replies have nlmsg_type {@code type}. */
    static <T> List<T> decodeAll(String name, int type, Decoder<T> decoder) throws IOException {
        ByteBuffer buf = resource(name);
        int seq = buf.getInt(8);
        List<T> out = new ArrayList<>();
        assertThat(DumpReply.consume(buf, seq, type, name, p -> out.add(decoder.decode(p))))
                .as("ends with DONE")
                .isTrue();
        return out;
    }

    interface Decoder<T> {
        T decode(ByteBuffer payload) throws NetlinkException;
    }

    private static TcpListener byPort(List<TcpListener> listeners, int port) {
        return listeners.stream().filter(l -> l.port() == port).findFirst().orElseThrow();
    }

    /** Every decoded listener equals ss's line for it: queues, drops, inode, cookie. */
    private static void assertMatchesSs(List<TcpListener> listeners, String ssText) {
        List<SsOracle.Listener> ss = SsOracle.parseListeners(ssText);
        for (TcpListener l : listeners) {
            SsOracle.Listener s =
                    ss.stream().filter(e -> e.port() == l.port()).findFirst().orElseThrow();
            assertThat(l.acceptQueue()).as("Recv-Q of %s", s).isEqualTo(s.recvQ());
            assertThat(l.backlog()).as("Send-Q of %s", s).isEqualTo(s.sendQ());
            assertThat(l.drops()).as("skmem d of %s", s).hasValue(s.drops());
            Matcher m = SS_INODE_COOKIE.matcher(ssText.lines()
                    .filter(x -> x.contains(":" + l.port() + " "))
                    .findFirst()
                    .orElseThrow());
            assertThat(m.find()).isTrue();
            assertThat(l.inode()).isEqualTo(Long.parseLong(m.group(2)));
            assertThat(Long.toHexString(l.cookie())).isEqualTo(m.group(3));
        }
    }

    @Test
    void ipv4ListenDump() throws IOException {
        List<TcpListener> v4 = decodeAll("tcp-listen-v4.bin", InetDiag::decodeListener);
        assertThat(v4).extracting(TcpListener::port).containsExactlyInAnyOrder(40001, 40002, 40005);
        assertThat(v4).allSatisfy(l -> {
            assertThat(l.family()).isEqualTo(Native.AF_INET);
            assertThat(l.familyName()).isEqualTo("ipv4");
        });
        TcpListener overflowed = byPort(v4, 40001);
        assertThat(overflowed.addressText()).isEqualTo("127.0.0.1");
        assertThat(overflowed.acceptQueue()).isEqualTo(5);
        assertThat(overflowed.backlog()).isEqualTo(4);
        assertThat(overflowed.acceptQueueFull()).isTrue();
        assertThat(overflowed.drops().orElseThrow()).isPositive();
        assertThat(byPort(v4, 40002).addressText()).isEqualTo("0.0.0.0");
        assertThat(byPort(v4, 40002).backlog()).isEqualTo(128);
        assertThat(v4).extracting(TcpListener::cookie).doesNotHaveDuplicates();
        assertMatchesSs(v4, text("tcp-listen-v4.ss.txt"));
    }

    @Test
    void ipv6ListenDumpHasDualStackListenerWithIpv4Clients() throws IOException {
        List<TcpListener> v6 = decodeAll("tcp-listen-v6.bin", InetDiag::decodeListener);
        assertThat(v6).extracting(TcpListener::port).containsExactlyInAnyOrder(40003, 40004);
        TcpListener any = byPort(v6, 40003);
        assertThat(any.addressText()).isEqualTo("::");
        assertThat(any.familyName()).isEqualTo("ipv6");
        assertThat(any.acceptQueue()).as("2 IPv4 + 1 IPv6 clients").isEqualTo(3);
        assertThat(byPort(v6, 40004).addressText()).isEqualTo("::1");
        assertThat(byPort(v6, 40004).backlog()).isEqualTo(8);
        assertMatchesSs(v6, text("tcp-listen-v6.ss.txt"));
    }

    /** A TCPDIAG_GETSOCK dump (docs/kernel.md §2): type-18 replies, both families, the per-family decoder. */
    @Test
    void oneWalkListenDumpHasBothFamilies() throws IOException {
        ByteBuffer raw = resource("tcp-listen-both.bin");
        for (NetlinkMessage m : NetlinkMessage.parseAll(raw, "tcp-listen-both")) {
            if (m instanceof NetlinkMessage.Data d) {
                assertThat(d.type()).isEqualTo(InetDiag.TCPDIAG_GETSOCK);
            }
        }
        List<TcpListener> both = decodeAll("tcp-listen-both.bin", InetDiag.TCPDIAG_GETSOCK, InetDiag::decodeListener);
        assertThat(both).extracting(TcpListener::port).containsExactlyInAnyOrder(40001, 40002, 40003, 40004, 40005);
        assertThat(byPort(both, 40003).addressText()).isEqualTo("::");
        assertThat(byPort(both, 40003).acceptQueue()).isEqualTo(3);
        assertThat(byPort(both, 40004).familyName()).isEqualTo("ipv6");
        assertThat(byPort(both, 40001).familyName()).isEqualTo("ipv4");
        assertThat(byPort(both, 40001).acceptQueueFull()).isTrue();
        assertThat(both).allSatisfy(l -> assertThat(l.cgroupId()).isPresent());
        assertMatchesSs(both, text("tcp-listen-both.ss.txt"));

        List<TcpListener> ordered = InetDiag.ipv4First(both, TcpListener::family);
        assertThat(ordered).extracting(TcpListener::family).containsExactly(2, 2, 2, 10, 10);
        assertThat(ordered.subList(0, 3))
                .isEqualTo(both.stream().filter(l -> l.family() == 2).toList());
        assertThat(ordered.subList(3, 5))
                .isEqualTo(both.stream().filter(l -> l.family() == 10).toList());
    }

    @Test
    void oneWalkRepliesAreRefusedWhereSockDiagByFamilyIsExpected() {
        assertThatThrownBy(() -> decodeAll("tcp-listen-both.bin", InetDiag::decodeListener))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("message type 18");
    }

    @Test
    void oneWalkSynRecvDump() throws IOException {
        List<SynRecv> requests = decodeAll("tcp-synrecv-both.bin", InetDiag.TCPDIAG_GETSOCK, InetDiag::decodeSynRecv);
        long ssCount = text("tcp-synrecv-both.ss.txt")
                .lines()
                .filter(l -> l.contains("127.0.0.1:40005 "))
                .count();
        assertThat(requests).hasSize((int) ssCount).hasSize(3);
        assertThat(requests).allSatisfy(r -> assertThat(r.addressText()).isEqualTo("127.0.0.1"));
    }

    @Test
    void synRecvDumpBelongsToDeferAcceptListener() throws IOException {
        List<SynRecv> requests = decodeAll("tcp-synrecv-v4.bin", InetDiag::decodeSynRecv);
        long ssCount = text("tcp-synrecv-v4.ss.txt")
                .lines()
                .filter(l -> l.contains("127.0.0.1:40005 "))
                .count();
        assertThat(requests).hasSize((int) ssCount).hasSize(3);
        TcpListener listener = byPort(decodeAll("tcp-listen-v4.bin", InetDiag::decodeListener), 40005);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.addressText()).isEqualTo("127.0.0.1");
            assertThat(r.belongsTo(listener)).isTrue();
        });
        assertThat(requests.getFirst()
                        .belongsTo(byPort(decodeAll("tcp-listen-v4.bin", InetDiag::decodeListener), 40001)))
                .isFalse();
    }

    @Test
    void unixDumpHasNamedAndAbstractListeners() throws IOException {
        List<UnixListener> unix = decodeAll("unix-listen.bin", UnixDiag::decodeListener);
        List<SsOracle.UnixListener> ss = new ArrayList<>();
        for (String line : text("unix-listen.ss.txt").split("\n")) {
            String[] t = line.trim().split("\\s+");
            ss.add(new SsOracle.UnixListener(t[4], Integer.parseInt(t[2]), Integer.parseInt(t[3])));
        }
        assertThat(unix).hasSameSizeAs(ss);
        for (SsOracle.UnixListener s : ss) {
            UnixListener u = unix.stream()
                    .filter(x -> x.path().equals(s.path()))
                    .findFirst()
                    .orElseThrow();
            assertThat(u.pending()).isEqualTo(s.recvQ());
            assertThat(u.backlog()).isEqualTo(s.sendQ());
        }
        UnixListener named = unix.stream()
                .filter(u -> u.path().endsWith("/listener.sock"))
                .findFirst()
                .orElseThrow();
        assertThat(named.pending()).isEqualTo(2);
        assertThat(named.backlog()).isEqualTo(3);
        assertThat(named.isAbstract()).isFalse();
        UnixListener abstractName =
                unix.stream().filter(UnixListener::isAbstract).findFirst().orElseThrow();
        assertThat(abstractName.path()).isEqualTo("@lq-nl-capture");
        assertThat(abstractName.backlog()).isEqualTo(7);
        assertThat(unix).allSatisfy(u -> assertThat(u.inode()).isPositive());
    }
}
