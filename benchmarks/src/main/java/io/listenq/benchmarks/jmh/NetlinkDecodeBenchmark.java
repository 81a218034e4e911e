package io.listenq.benchmarks.jmh;

import io.listenq.collectors.netlink.InetDiag;
import io.listenq.collectors.netlink.NetlinkException;
import io.listenq.collectors.netlink.NetlinkMessage;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixDiag;
import io.listenq.collectors.netlink.UnixListener;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * sock_diag reply decoding as a dump does it (message framing with {@link NetlinkMessage#next}, then the
 * payload decoder), on the captured replies (collectors/src/test/resources/netlink) and on a synthetic reply of
 * {@code listeners} LISTEN messages: the first message of the AF_INET capture repeated with distinct ports and
 * inodes, then NLMSG_DONE. The kernel sends such a dump in ~32 KiB datagrams; decoding does not depend on where
 * the datagram boundaries fall, so one buffer stands for all of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetlinkDecodeBenchmark {
    /** linux/netlink.h: NLMSG_DONE, and NLMSG_HDRLEN. */
    private static final int NLMSG_DONE = 3;

    private static final int HEADER = NetlinkMessage.HEADER_LENGTH;
    /** struct inet_diag_msg offsets (linux/inet_diag.h): idiag_sport (__be16) at 4, idiag_inode at 68. */
    private static final int OFF_SPORT = 4;

    private static final int OFF_INODE = 68;

    @Param({"10000"})
    public int listeners;

    private ByteBuffer tcpV4;
    private ByteBuffer tcpV6;
    private ByteBuffer unix;
    private ByteBuffer synthetic;

    @Setup
    public void load() {
        tcpV4 = wrap(Fixtures.bytes("netlink/tcp-listen-v4.bin"));
        tcpV6 = wrap(Fixtures.bytes("netlink/tcp-listen-v6.bin"));
        unix = wrap(Fixtures.bytes("netlink/unix-listen.bin"));
        synthetic = synthesize(tcpV4, listeners);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    static ByteBuffer synthesize(ByteBuffer capture, int count) {
        int length = capture.getInt(0); // nlmsg_len of the first message: a LISTEN reply with SKMEMINFO
        int stride = (length + 3) & ~3; // NLMSG_ALIGN
        ByteBuffer out = ByteBuffer.allocate(stride * count + HEADER + 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            int base = i * stride;
            out.put(base, capture, 0, length);
            int port = 1024 + i % 60000;
            out.put(base + HEADER + OFF_SPORT, (byte) (port >>> 8)).put(base + HEADER + OFF_SPORT + 1, (byte) port);
            out.putInt(base + HEADER + OFF_INODE, 1_000_000 + i);
        }
        int done = stride * count;
        out.putInt(done, HEADER + 4)
                .putShort(done + 4, (short) NLMSG_DONE)
                .putShort(done + 6, (short) 2)
                .putInt(done + 8, capture.getInt(8))
                .putInt(done + 12, 0)
                .putInt(done + HEADER, 0);
        return out;
    }

    static List<TcpListener> decodeTcp(ByteBuffer reply) throws NetlinkException {
        ByteBuffer buf = reply.duplicate().order(ByteOrder.nativeOrder());
        List<TcpListener> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            NetlinkMessage m = NetlinkMessage.next(buf, "tcp LISTEN dump");
            if (m instanceof NetlinkMessage.Data d) {
                out.add(InetDiag.decodeListener(d.payload()));
            } else {
                break;
            }
        }
        return out;
    }

    static List<UnixListener> decodeUnix(ByteBuffer reply) throws NetlinkException {
        ByteBuffer buf = reply.duplicate().order(ByteOrder.nativeOrder());
        List<UnixListener> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            NetlinkMessage m = NetlinkMessage.next(buf, "unix LISTEN dump");
            if (m instanceof NetlinkMessage.Data d) {
                if (UnixDiag.socketType(d.payload()) == 1) { // SOCK_STREAM, bits/socket_type.h
                    out.add(UnixDiag.decodeListener(d.payload()));
                }
            } else {
                break;
            }
        }
        return out;
    }

    @Benchmark
    public List<TcpListener> capturedTcpV4() throws NetlinkException {
        return decodeTcp(tcpV4);
    }

    @Benchmark
    public List<TcpListener> capturedTcpV6() throws NetlinkException {
        return decodeTcp(tcpV6);
    }

    @Benchmark
    public List<UnixListener> capturedUnix() throws NetlinkException {
        return decodeUnix(unix);
    }

    @Benchmark
    public List<TcpListener> syntheticTcpV4() throws NetlinkException {
        return decodeTcp(synthetic);
    }
}
