package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;

/**
 * TCP sock_diag requests and reply decoders (pure: bytes in, records out).
 *
 * <p>Request: {@code struct nlmsghdr} + {@code struct inet_diag_req_v2} (linux/inet_diag.h), 72 bytes.
 * Reply payload: {@code struct inet_diag_msg} (72 bytes) then attributes. Offsets below are from the
 * start of the payload (after the 16-byte nlmsghdr), host byte order except the socket id's ports and
 * addresses, which are big-endian ({@code __be16}/{@code __be32} in {@code struct inet_diag_sockid}).
 */
public final class InetDiag {
    /** linux/sock_diag.h: SOCK_DIAG_BY_FAMILY, the request and reply message type. */
    static final int SOCK_DIAG_BY_FAMILY = 20;
    /**
     * linux/inet_diag.h: TCPDIAG_GETSOCK, the legacy request type (body {@code struct inet_diag_req}, 60 bytes). Its
     * dump (inet_diag_dump_compat, net/ipv4/inet_diag.c) asks for AF_UNSPEC: one hash walk returns both families,
     * with replies of this type and the same inet_diag_msg payload (docs/kernel.md §2).
     */
    static final int TCPDIAG_GETSOCK = 18;
    /** linux/netlink.h: NLM_F_REQUEST 0x01 | NLM_F_DUMP (NLM_F_ROOT 0x100 | NLM_F_MATCH 0x200). */
    static final int REQUEST_DUMP_FLAGS = 0x01 | 0x100 | 0x200;
    /** linux/in.h: IPPROTO_TCP. */
    static final int IPPROTO_TCP = 6;
    /** include/net/tcp_states.h (kernel source): TCP_SYN_RECV 3, TCP_LISTEN 10. */
    static final int TCP_SYN_RECV = 3;

    static final int TCP_LISTEN = 10;
    /**
     * idiag_ext bit for INET_DIAG_SKMEMINFO (linux/inet_diag.h): bit (attribute type - 1), 1 << 6.
     */
    static final int EXT_SKMEMINFO = 1 << (7 - 1);
    /** linux/inet_diag.h: reply attribute types INET_DIAG_SKMEMINFO 7, INET_DIAG_CGROUP_ID 21. */
    static final int INET_DIAG_SKMEMINFO = 7;

    static final int INET_DIAG_CGROUP_ID = 21;
    /** linux/sock_diag.h: SK_MEMINFO_DROPS, index into the u32 array of INET_DIAG_SKMEMINFO. */
    static final int SK_MEMINFO_DROPS = 8;

    static final int REQUEST_LENGTH = NetlinkMessage.HEADER_LENGTH + 56;
    /** nlmsghdr + struct inet_diag_req: family, src_len, dst_len, ext, inet_diag_sockid (48), states, dbs. */
    static final int COMPAT_REQUEST_LENGTH = NetlinkMessage.HEADER_LENGTH + 60;
    /** sizeof(struct inet_diag_msg); attributes follow. */
    static final int MSG_LENGTH = 72;

    private static final int OFF_FAMILY = 0;
    private static final int OFF_STATE = 1;
    private static final int OFF_SPORT = 4;
    private static final int OFF_SRC = 8;
    private static final int OFF_COOKIE = 44;
    private static final int OFF_RQUEUE = 56;
    private static final int OFF_WQUEUE = 60;
    private static final int OFF_INODE = 68;

    private InetDiag() {}

    /** A dump of LISTEN sockets ({@code 1 << TCP_LISTEN} only, so the kernel walks just the listening hash) with SKMEMINFO. */
    public static ByteBuffer listenRequest(int family, int seq) {
        return writeRequest(allocateRequest(), family, 1 << TCP_LISTEN, EXT_SKMEMINFO, seq);
    }

    /**
     * A dump of SYN-RECV sockets ({@code 1 << TCP_SYN_RECV}; inet_diag_dump_icsk adds TCP_NEW_SYN_RECV
     * itself). This walks the established hash, shared by all namespaces: expensive on a busy host.
     */
    public static ByteBuffer synRecvRequest(int family, int seq) {
        return writeRequest(allocateRequest(), family, 1 << TCP_SYN_RECV, 0, seq);
    }

    /** {@link #listenRequest} for both families in one walk: a TCPDIAG_GETSOCK dump (docs/kernel.md §2). */
    public static ByteBuffer listenRequestBothFamilies(int seq) {
        return writeCompatRequest(allocateRequest(), 1 << TCP_LISTEN, EXT_SKMEMINFO, seq);
    }

    /** {@link #synRecvRequest} for both families in one walk of the established hash. */
    public static ByteBuffer synRecvRequestBothFamilies(int seq) {
        return writeCompatRequest(allocateRequest(), 1 << TCP_SYN_RECV, 0, seq);
    }

    private static ByteBuffer allocateRequest() {
        return ByteBuffer.allocate(Math.max(REQUEST_LENGTH, COMPAT_REQUEST_LENGTH))
                .order(ByteOrder.nativeOrder());
    }

    /**
     * Clears {@code dst} (native order) and writes the nlmsghdr of a dump request of {@code length} bytes; returns the
     * offset of the request's body.
     */
    static int writeDumpHeader(ByteBuffer dst, int length, int type, int seq) {
        if (dst.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("request buffers must use the native byte order");
        }
        dst.clear();
        dst.putInt(0, length)
                .putShort(4, (short) type)
                .putShort(6, (short) REQUEST_DUMP_FLAGS)
                .putInt(8, seq)
                .putInt(12, 0);
        return NetlinkMessage.HEADER_LENGTH;
    }

    /**
     * Writes a TCPDIAG_GETSOCK dump request (76 bytes) at offset 0 of {@code dst}: idiag_family 0 (the dump
     * ignores it and walks AF_UNSPEC), a zero socket id (no filter), {@code ext} and {@code states} as in
     * {@link #writeRequest}. Returns {@code dst} with limit 76.
     */
    static ByteBuffer writeCompatRequest(ByteBuffer dst, int states, int ext, int seq) {
        int p = writeDumpHeader(dst, COMPAT_REQUEST_LENGTH, TCPDIAG_GETSOCK, seq);
        dst.putInt(p, 0).put(p + 3, (byte) ext); // idiag_family, idiag_src_len, idiag_dst_len 0
        for (int i = p + 4; i < p + 52; i += 4) { // struct inet_diag_sockid all zero: no filter
            dst.putInt(i, 0);
        }
        dst.putInt(p + 52, states).putInt(p + 56, 0); // idiag_states, idiag_dbs
        return dst.limit(COMPAT_REQUEST_LENGTH);
    }

    /** Writes the request at absolute offsets 0..71 of {@code dst} (native order) and returns it with limit 72. */
    static ByteBuffer writeRequest(ByteBuffer dst, int family, int states, int ext, int seq) {
        if (family != Native.AF_INET && family != Native.AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET (2) or AF_INET6 (10): " + family);
        }
        int p = writeDumpHeader(dst, REQUEST_LENGTH, SOCK_DIAG_BY_FAMILY, seq);
        dst.put(p, (byte) family)
                .put(p + 1, (byte) IPPROTO_TCP)
                .put(p + 2, (byte) ext)
                .put(p + 3, (byte) 0)
                .putInt(p + 4, states);
        for (int i = p + 8; i < REQUEST_LENGTH; i += 4) { // struct inet_diag_sockid all zero: no filter
            dst.putInt(i, 0);
        }
        return dst.limit(REQUEST_LENGTH);
    }

    /**
     * Decodes one LISTEN reply payload ({@link NetlinkMessage.Data#payload()}).
     *
     * @throws NetlinkException if the payload is shorter than inet_diag_msg, the family or state is
     *     unexpected, an attribute is malformed, SKMEMINFO (always requested) is missing, or a queue length
     *     is beyond INT_MAX
     */
    public static TcpListener decodeListener(ByteBuffer payload) throws NetlinkException {
        int family = checkHeader(payload, "inet_diag_msg (LISTEN)");
        int state = Byte.toUnsignedInt(payload.get(OFF_STATE));
        if (state != TCP_LISTEN) {
            throw new NetlinkException("inet_diag_msg (LISTEN): state " + state + ", expected TCP_LISTEN 10");
        }
        OptionalLong drops = null; // null: no SKMEMINFO attribute at all, which a LISTEN reply always has
        OptionalLong cgroupId = OptionalLong.empty(); // the kernel sends it only where it has it (§2)
        String what = "inet_diag_msg (LISTEN) attributes";
        for (int off = MSG_LENGTH;
                NetlinkAttributes.hasNext(payload, off);
                off = NetlinkAttributes.next(payload, off)) {
            int len = NetlinkAttributes.length(payload, off, what);
            int type = NetlinkAttributes.type(payload, off);
            int dataLen = len - NetlinkAttributes.HEADER_LENGTH;
            if (type == INET_DIAG_SKMEMINFO) {
                // Kernels before SK_MEMINFO_DROPS existed send a shorter array: the count is unknown, not 0.
                drops = dataLen >= (SK_MEMINFO_DROPS + 1) * 4
                        ? known(Integer.toUnsignedLong(payload.getInt(off + 4 + SK_MEMINFO_DROPS * 4)))
                        : OptionalLong.empty();
            } else if (type == INET_DIAG_CGROUP_ID) {
                if (dataLen < 8) {
                    throw new NetlinkException(what + ": INET_DIAG_CGROUP_ID has " + dataLen + " bytes, need 8");
                }
                cgroupId = cgroupId(payload.getLong(off + 4));
            }
        }
        if (drops == null) {
            throw new NetlinkException(
                    "inet_diag_msg (LISTEN): no INET_DIAG_SKMEMINFO attribute (requested with idiag_ext 0x40)");
        }
        long cookie = Integer.toUnsignedLong(payload.getInt(OFF_COOKIE))
                | (Integer.toUnsignedLong(payload.getInt(OFF_COOKIE + 4)) << 32);
        // __u32 idiag_rqueue/idiag_wqueue carry sk_ack_backlog/sk_max_ack_backlog for a listener
        // (net/ipv4/tcp_diag.c tcp_diag_get_info); listen() takes an int backlog, so a value above INT_MAX
        // is a corrupt reply, not a queue: say so with the typed error rather than let the record refuse it.
        int rqueue = payload.getInt(OFF_RQUEUE);
        int wqueue = payload.getInt(OFF_WQUEUE);
        if (rqueue < 0 || wqueue < 0) {
            throw new NetlinkException("inet_diag_msg (LISTEN): idiag_rqueue " + Integer.toUnsignedString(rqueue)
                    + " / idiag_wqueue " + Integer.toUnsignedString(wqueue) + " beyond INT_MAX");
        }
        return new TcpListener(
                family,
                address(payload, family),
                port(payload),
                rqueue,
                wqueue,
                Integer.toUnsignedLong(payload.getInt(OFF_INODE)),
                cookie,
                drops,
                cgroupId);
    }

    /** Most listeners never dropped: one shared instance for them, no allocation per decoded listener. */
    private static final OptionalLong NO_DROPS = OptionalLong.of(0);

    private static OptionalLong known(long drops) {
        return drops == 0 ? NO_DROPS : OptionalLong.of(drops);
    }

    /**
     * The cgroup id last decoded, on any thread: a dump's listeners come namespace by namespace, and a namespace's
     * listeners mostly belong to one container, so they share one instance (a sampler keeps every namespace's last
     * dump). An OptionalLong is immutable; whichever thread's store wins, a reader sees a whole one.
     */
    private static volatile OptionalLong lastCgroupId = OptionalLong.empty();

    private static OptionalLong cgroupId(long id) {
        OptionalLong last = lastCgroupId;
        if (last.isPresent() && last.getAsLong() == id) {
            return last;
        }
        OptionalLong now = OptionalLong.of(id);
        lastCgroupId = now;
        return now;
    }

    /** Decodes one SYN-RECV reply payload to the request's local address and port. */
    public static SynRecv decodeSynRecv(ByteBuffer payload) throws NetlinkException {
        int family = checkHeader(payload, "inet_diag_msg (SYN-RECV)");
        return new SynRecv(family, address(payload, family), port(payload));
    }

    /**
     * Whether {@code e}, from {@link SockDiag#tcpListeners()} or {@link SockDiag#synRecv()}, is the kernel refusing TCPDIAG_GETSOCK
     * (sock_diag_rcv_msg answers EOPNOTSUPP without a compat handler, EINVAL for a type it does not know).
     */
    public static boolean refusesOneWalk(NetlinkException e) {
        return e.errno() == EINVAL || e.errno() == EOPNOTSUPP;
    }

    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;

    /** A stable partition: the walk interleaves families by hash bucket; per-family dumps keep that order. */
    static <T> List<T> ipv4First(List<T> mixed, ToIntFunction<T> family) {
        List<T> out = new ArrayList<>(mixed.size());
        for (int want : new int[] {Native.AF_INET, Native.AF_INET6}) {
            for (T t : mixed) {
                if (family.applyAsInt(t) == want) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static int checkHeader(ByteBuffer payload, String what) throws NetlinkException {
        if (payload.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("netlink buffers must use the native byte order");
        }
        if (payload.limit() < MSG_LENGTH) {
            throw new NetlinkException(what + ": payload " + payload.limit() + " bytes, need " + MSG_LENGTH);
        }
        int family = Byte.toUnsignedInt(payload.get(OFF_FAMILY));
        if (family != Native.AF_INET && family != Native.AF_INET6) {
            throw new NetlinkException(what + ": idiag_family " + family + ", expected 2 or 10");
        }
        return family;
    }

    private static int port(ByteBuffer payload) {
        // __be16 idiag_sport: big-endian whatever the host order.
        return (Byte.toUnsignedInt(payload.get(OFF_SPORT)) << 8) | Byte.toUnsignedInt(payload.get(OFF_SPORT + 1));
    }

    private static InetAddress address(ByteBuffer payload, int family) {
        byte[] raw = new byte[16];
        payload.get(OFF_SRC, raw);
        return IpText.address(family, raw);
    }
}
