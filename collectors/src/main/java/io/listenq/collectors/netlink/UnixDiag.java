package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * AF_UNIX sock_diag request and reply decoder (pure). Request: {@code struct nlmsghdr} +
 * {@code struct unix_diag_req} (linux/unix_diag.h), 40 bytes. Reply payload: {@code struct unix_diag_msg}
 * (16 bytes) then attributes.
 */
public final class UnixDiag {
    /** linux/unix_diag.h: UDIAG_SHOW_NAME 0x01, UDIAG_SHOW_RQLEN 0x10. */
    static final int UDIAG_SHOW_NAME = 0x01;

    static final int UDIAG_SHOW_RQLEN = 0x10;
    /** linux/unix_diag.h: attribute types UNIX_DIAG_NAME 0, UNIX_DIAG_RQLEN 4. */
    static final int UNIX_DIAG_NAME = 0;

    static final int UNIX_DIAG_RQLEN = 4;
    /** bits/socket_type.h: SOCK_SEQPACKET 5 (a listening type, like SOCK_STREAM 1). */
    static final int SOCK_SEQPACKET = 5;

    static final int REQUEST_LENGTH = NetlinkMessage.HEADER_LENGTH + 24;
    /** sizeof(struct unix_diag_msg). */
    static final int MSG_LENGTH = 16;

    private UnixDiag() {}

    /** A dump of listening unix sockets (udiag_states 1 << TCP_LISTEN, as net/unix/diag.c uses) with name and queue lengths. */
    public static ByteBuffer listenRequest(int seq) {
        return writeListenRequest(ByteBuffer.allocate(REQUEST_LENGTH).order(ByteOrder.nativeOrder()), seq);
    }

    static ByteBuffer writeListenRequest(ByteBuffer dst, int seq) {
        int p = InetDiag.writeDumpHeader(dst, REQUEST_LENGTH, InetDiag.SOCK_DIAG_BY_FAMILY, seq);
        dst.put(p, (byte) Native.AF_UNIX)
                .put(p + 1, (byte) 0)
                .putShort(p + 2, (short) 0)
                .putInt(p + 4, 1 << InetDiag.TCP_LISTEN)
                .putInt(p + 8, 0) // udiag_ino: any
                .putInt(p + 12, UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN)
                .putInt(p + 16, 0)
                .putInt(p + 20, 0); // udiag_cookie: INET_DIAG_NOCOOKIE not needed for dumps
        return dst.limit(REQUEST_LENGTH);
    }

    /**
     * Decodes one reply payload. Names are decoded as UTF-8 (invalid bytes become U+FFFD).
     *
     * @throws NetlinkException if the payload is short, not AF_UNIX, an attribute is malformed, or
     *     UNIX_DIAG_RQLEN (always requested) is missing
     */
    public static UnixListener decodeListener(ByteBuffer payload) throws NetlinkException {
        if (payload.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("netlink buffers must use the native byte order");
        }
        String what = "unix_diag_msg";
        if (payload.limit() < MSG_LENGTH) {
            throw new NetlinkException(what + ": payload " + payload.limit() + " bytes, need " + MSG_LENGTH);
        }
        int family = Byte.toUnsignedInt(payload.get(0));
        if (family != Native.AF_UNIX) {
            throw new NetlinkException(what + ": udiag_family " + family + ", expected 1");
        }
        String path = "";
        int pending = -1;
        int backlog = -1;
        for (int off = MSG_LENGTH;
                NetlinkAttributes.hasNext(payload, off);
                off = NetlinkAttributes.next(payload, off)) {
            int len = NetlinkAttributes.length(payload, off, what + " attributes");
            int dataLen = len - NetlinkAttributes.HEADER_LENGTH;
            switch (NetlinkAttributes.type(payload, off)) {
                case UNIX_DIAG_NAME -> path = name(payload, off + 4, dataLen);
                case UNIX_DIAG_RQLEN -> {
                    if (dataLen < 8) {
                        throw new NetlinkException(what + ": UNIX_DIAG_RQLEN has " + dataLen + " bytes, need 8");
                    }
                    pending = payload.getInt(off + 4);
                    backlog = payload.getInt(off + 8);
                }
                default -> {} // not requested or newer: skip
            }
        }
        if (pending < 0 || backlog < 0) {
            throw new NetlinkException(what + ": no valid UNIX_DIAG_RQLEN (requested with UDIAG_SHOW_RQLEN)");
        }
        return new UnixListener(path, pending, backlog, Integer.toUnsignedLong(payload.getInt(4)));
    }

    /**
     * udiag_type of a reply payload (SOCK_STREAM 1, SOCK_SEQPACKET 5): the dump has no type filter,
     * so callers that want stream listeners only check this first.
     */
    public static int socketType(ByteBuffer payload) throws NetlinkException {
        if (payload.limit() < MSG_LENGTH) {
            throw new NetlinkException("unix_diag_msg: payload " + payload.limit() + " bytes, need " + MSG_LENGTH);
        }
        return Byte.toUnsignedInt(payload.get(1));
    }

    /**
     * sun_path bytes as sk_diag_dump_name (net/unix/diag.c) sends them: a path with its trailing NUL,
     * or an abstract name starting with NUL (ss shows it as '@', and embedded NULs too).
     */
    private static String name(ByteBuffer payload, int offset, int length) {
        if (length == 0) {
            return "";
        }
        byte[] raw = new byte[length];
        payload.get(offset, raw);
        if (raw[0] == 0) {
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    raw[i] = '@';
                }
            }
            return new String(raw, StandardCharsets.UTF_8);
        }
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }
}
