package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A NETLINK_SOCK_DIAG socket and the dumps listenq needs. The socket belongs to the network
 * namespace of the thread that called {@link #open()} and stays there, whichever thread uses it
 * later (the kernel fixes sock_net at socket creation); it also keeps that namespace alive until
 * {@link #close()}.
 *
 * <p>Not thread-safe: one dump at a time. It may be used from a thread other than its creator (the
 * buffers live in a shared arena). Each instance uses one 64 KiB off-heap receive buffer and one
 * request buffer ({@link Buffers}, its own or shared), reused by every dump; a dump allocates only the records it returns (plus small
 * views per message), and an unchanged unix dump nothing.
 */
public final class SockDiag implements AutoCloseable {
    /**
     * User buffer and SO_RCVBUF size. The kernel fills dump skbs up to ~32 KiB (netlink_dump sizes
     * them from the largest recvmsg seen); a smaller buffer would truncate (we detect that with MSG_TRUNC).
     */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private static final int REQUEST_BUFFER = 128;

    /**
     * The off-heap request, receive and errno buffers. A sampler with a socket per namespace shares one set
     * among all its sockets (they are used one at a time, from one thread): 64 KiB per namespace adds up to
     * 64 MiB of native memory at 1,000 namespaces otherwise.
     */
    public static final class Buffers implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment receive = arena.allocate(RECEIVE_BUFFER, 8);
        private final ByteBuffer receiveView = receive.asByteBuffer().order(ByteOrder.nativeOrder());
        private final MemorySegment request = arena.allocate(REQUEST_BUFFER, 8);
        private final ByteBuffer requestView = request.asByteBuffer().order(ByteOrder.nativeOrder());
        private final MemorySegment callState = Native.allocateCallState(arena);

        /** Frees the buffers; no socket using them may be used afterwards. */
        @Override
        public void close() {
            arena.close();
        }
    }

    private final int fd;
    private final Buffers buffers;
    private final boolean ownsBuffers;
    private final MemorySegment receive;
    private final ByteBuffer receiveView;
    private final MemorySegment request;
    private final ByteBuffer requestView;
    private final MemorySegment callState;
    private int seq;
    /** The unix dump's last reply and what it decoded to: an unchanged reply is not decoded again. */
    private final ReplyMemo<UnixListener> unixReply = new ReplyMemo<>();

    private final DumpReply.PayloadSink unixSink = payload -> {
        if (UnixDiag.socketType(payload) == Native.SOCK_STREAM) {
            unixReply.add(UnixDiag.decodeListener(payload));
        }
    };

    private boolean closed;

    private SockDiag(int fd, Buffers buffers, boolean ownsBuffers) {
        this.fd = fd;
        this.buffers = buffers;
        this.ownsBuffers = ownsBuffers;
        this.receive = buffers.receive;
        this.receiveView = buffers.receiveView;
        this.request = buffers.request;
        this.requestView = buffers.requestView;
        this.callState = buffers.callState;
    }

    /** Opens a sock_diag socket in the calling thread's network namespace, with buffers of its own. */
    public static SockDiag open() throws NativeException {
        return open(new Buffers(), true);
    }

    /**
     * Opens a sock_diag socket in the calling thread's namespace that uses {@code shared} buffers: the caller
     * must never use two sockets sharing them at the same time, and closes them after the last socket.
     */
    public static SockDiag open(Buffers shared) throws NativeException {
        return open(shared, false);
    }

    private static SockDiag open(Buffers buffers, boolean owns) throws NativeException {
        int fd;
        try {
            fd = Native.socket(Native.AF_NETLINK, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, Native.NETLINK_SOCK_DIAG);
        } catch (NativeException | RuntimeException e) {
            if (owns) {
                buffers.close();
            }
            throw e;
        }
        try {
            Native.setsockoptInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, RECEIVE_BUFFER);
            return new SockDiag(fd, buffers, owns);
        } catch (NativeException | RuntimeException e) {
            Native.close(fd);
            if (owns) {
                buffers.close();
            }
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    /** TCP listeners of one family (AF_INET or AF_INET6), in kernel order. Returns a new list. */
    public List<TcpListener> tcpListeners(int family) throws IOException {
        List<TcpListener> out = new ArrayList<>();
        InetDiag.writeRequest(requestView, family, 1 << InetDiag.TCP_LISTEN, InetDiag.EXT_SKMEMINFO, nextSeq());
        dump(familyDump("tcp LISTEN", family), payload -> out.add(InetDiag.decodeListener(payload)), null);
        return out;
    }

    /**
     * TCP listeners of both families from one walk of the listening hash (TCPDIAG_GETSOCK, docs/kernel.md §2): the
     * list {@link #tcpListeners(int)} gives for AF_INET then AF_INET6. If the kernel refuses the request type, the
     * NetlinkException is one {@link InetDiag#refusesOneWalk} recognises: use the per-family dumps then.
     */
    public List<TcpListener> tcpListeners() throws IOException {
        List<TcpListener> out = new ArrayList<>();
        InetDiag.writeCompatRequest(requestView, 1 << InetDiag.TCP_LISTEN, InetDiag.EXT_SKMEMINFO, nextSeq());
        dump("tcp LISTEN one-walk dump", payload -> out.add(InetDiag.decodeListener(payload)), null);
        return InetDiag.ipv4First(out, TcpListener::family);
    }

    /**
     * Connections in SYN-RECV of one family, one entry per request socket. Walks the kernel's
     * established hash (shared by all namespaces): much dearer than {@link #tcpListeners} on busy hosts.
     */
    public List<SynRecv> synRecv(int family) throws IOException {
        List<SynRecv> out = new ArrayList<>();
        InetDiag.writeRequest(requestView, family, 1 << InetDiag.TCP_SYN_RECV, 0, nextSeq());
        dump(familyDump("tcp SYN-RECV", family), payload -> out.add(InetDiag.decodeSynRecv(payload)), null);
        return out;
    }

    /** {@link #synRecv(int)} of both families from one walk of the established hash, as {@link #tcpListeners()}. */
    public List<SynRecv> synRecv() throws IOException {
        List<SynRecv> out = new ArrayList<>();
        InetDiag.writeCompatRequest(requestView, 1 << InetDiag.TCP_SYN_RECV, 0, nextSeq());
        dump("tcp SYN-RECV one-walk dump", payload -> out.add(InetDiag.decodeSynRecv(payload)), null);
        return InetDiag.ipv4First(out, SynRecv::family);
    }

    private static String familyDump(String states, int family) {
        return states + (family == Native.AF_INET ? " AF_INET dump" : " AF_INET6 dump");
    }

    /**
     * Listening SOCK_STREAM unix sockets, unmodifiable: the last call's list itself (nothing allocated) when the
     * kernel's reply is the same bytes ({@link ReplyMemo}).
     */
    public List<UnixListener> unixListeners() throws IOException {
        UnixDiag.writeListenRequest(requestView, nextSeq());
        return unixReply.result(dump("unix LISTEN dump", unixSink, null, unixReply));
    }

    /**
     * Sends {@code requestBytes} (a request from {@link InetDiag} or {@link UnixDiag}, whose seq is
     * replaced by this socket's next one) and hands every reply datagram, as received, to
     * {@code datagrams}. For capture tools and tests.
     */
    void rawDump(ByteBuffer requestBytes, String what, Consumer<ByteBuffer> datagrams) throws IOException {
        int length = requestBytes.remaining();
        if (length > REQUEST_BUFFER) {
            throw new IllegalArgumentException("request too long: " + length);
        }
        requestView.clear();
        requestView
                .put(0, requestBytes, requestBytes.position(), length)
                .putInt(8, nextSeq())
                .limit(length);
        dump(what, payload -> {}, datagrams);
    }

    /** A dump without a reply memo. */
    private void dump(String what, DumpReply.PayloadSink sink, Consumer<ByteBuffer> tap) throws IOException {
        dump(what, sink, tap, null);
    }

    /**
     * Sends the request in requestView and reads until NLMSG_DONE; true if the reply was {@code memo}'s last one
     * (when not null), which is then not decoded.
     */
    private boolean dump(String what, DumpReply.PayloadSink sink, Consumer<ByteBuffer> tap, ReplyMemo<?> memo)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("SockDiag is closed");
        }
        int expectedSeq = requestView.getInt(8);
        int expectedType = Short.toUnsignedInt(requestView.getShort(4));
        long length = requestView.limit();
        long sent = Native.send(fd, request, length, callState);
        if (sent != length) {
            throw new NetlinkException(what + ": sent " + sent + " of " + length + " request bytes");
        }
        while (true) {
            long n = Native.recv(fd, receive, RECEIVE_BUFFER, Native.MSG_TRUNC, callState);
            if (n > RECEIVE_BUFFER) {
                throw new NetlinkException(what + ": datagram of " + n + " bytes truncated to " + RECEIVE_BUFFER);
            }
            if (n == 0) {
                throw new NetlinkException(what + ": empty datagram before NLMSG_DONE");
            }
            receiveView.clear().limit((int) n);
            if (tap != null) {
                tap.accept(receiveView.duplicate().order(ByteOrder.nativeOrder()));
            }
            if (memo != null) {
                if (!memo.stage(receiveView, expectedSeq)) {
                    continue;
                }
                if (memo.unchanged(expectedSeq)) {
                    return true;
                }
                if (memo.decode(expectedSeq, expectedType, what, sink)) {
                    return false;
                }
                memo = null; // not the end after all: the rest as any dump
            } else if (DumpReply.consume(receiveView, expectedSeq, expectedType, what, sink)) {
                return false;
            }
        }
    }

    private int nextSeq() {
        return ++seq;
    }

    /** Closes the socket and frees the buffers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Native.close(fd);
        if (ownsBuffers) {
            buffers.close();
        }
    }
}
