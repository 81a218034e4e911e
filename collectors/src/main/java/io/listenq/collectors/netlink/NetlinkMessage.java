package io.listenq.collectors.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message of a reply datagram: {@link Data}, the {@link Done} that ends a dump, or an
 * {@link Error}. {@link #next} is a pure parser over a buffer of concatenated messages.
 *
 * <p>Layout, linux/netlink.h {@code struct nlmsghdr}: u32 nlmsg_len (header included), u16 nlmsg_type,
 * u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid, all in host byte order; messages are padded to
 * {@code NLMSG_ALIGN} (4 bytes).
 */
public sealed interface NetlinkMessage permits NetlinkMessage.Data, NetlinkMessage.Done, NetlinkMessage.Error {
    /** linux/netlink.h: NLMSG_HDRLEN, sizeof(struct nlmsghdr). */
    int HEADER_LENGTH = 16;
    /** linux/netlink.h: NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN. */
    int NLMSG_NOOP = 1;

    int NLMSG_ERROR = 2;
    int NLMSG_DONE = 3;
    int NLMSG_OVERRUN = 4;

    int flags();

    int seq();

    int pid();

    /**
     * A payload message (type >= NLMSG_MIN_TYPE 0x10). {@code payload} is a view of the bytes after the
     * header, position 0, limit = nlmsg_len - 16, host byte order; it shares the reply buffer.
     */
    record Data(int type, int flags, int seq, int pid, ByteBuffer payload) implements NetlinkMessage {}

    /**
     * NLMSG_DONE. Its payload is an int (netlink_dump_done in net/netlink/af_netlink.c) holding 0 or
     * a negative errno; {@code errno} is that value negated (0 = dump complete).
     */
    record Done(int flags, int seq, int pid, int errno) implements NetlinkMessage {}

    /**
     * NLMSG_ERROR, linux/netlink.h {@code struct nlmsgerr}: int error (negative errno, 0 for an ACK)
     * followed by the header of the request it answers. {@code errno} is positive;
     * {@code requestType}/{@code requestSeq} are -1 if the echoed header is missing.
     */
    record Error(int flags, int seq, int pid, int errno, int requestType, int requestSeq) implements NetlinkMessage {}

    /**
     * Parses the message at {@code buf.position()} and advances the position past it (and its
     * NLMSG_ALIGN padding, clamped to the limit). Never reads beyond the limit.
     *
     * @param what names the dump for error messages, e.g. "tcp LISTEN AF_INET dump"
     * @throws NetlinkException if fewer than 16 bytes remain, nlmsg_len is below 16 or beyond the
     *     limit, a DONE/ERROR payload is too short, or the kernel reported NLMSG_OVERRUN
     */
    static NetlinkMessage next(ByteBuffer buf, String what) throws NetlinkException {
        if (buf.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("netlink buffers must use the native byte order");
        }
        int offset = buf.position();
        int remaining = buf.limit() - offset;
        if (remaining < HEADER_LENGTH) {
            throw new NetlinkException(what + ": truncated nlmsghdr at offset " + offset + ": " + remaining
                    + " bytes left, need " + HEADER_LENGTH);
        }
        long length = Integer.toUnsignedLong(buf.getInt(offset));
        if (length < HEADER_LENGTH || length > remaining) {
            throw new NetlinkException(what + ": bad nlmsg_len " + length + " at offset " + offset + " (must be "
                    + HEADER_LENGTH + ".." + remaining + ")");
        }
        int len = (int) length;
        int type = Short.toUnsignedInt(buf.getShort(offset + 4));
        int flags = Short.toUnsignedInt(buf.getShort(offset + 6));
        int seq = buf.getInt(offset + 8);
        int pid = buf.getInt(offset + 12);
        buf.position(Math.min(buf.limit(), offset + align(len)));
        return switch (type) {
            case NLMSG_DONE ->
                new Done(
                        flags,
                        seq,
                        pid,
                        // A DONE without payload (older kernels, other families) means success.
                        len >= HEADER_LENGTH + 4 ? -buf.getInt(offset + HEADER_LENGTH) : 0);
            case NLMSG_ERROR -> {
                if (len < HEADER_LENGTH + 4) {
                    throw new NetlinkException(what + ": truncated NLMSG_ERROR at offset " + offset + ": nlmsg_len "
                            + len + ", need " + (HEADER_LENGTH + 4));
                }
                boolean echoed = len >= 2 * HEADER_LENGTH + 4;
                yield new Error(
                        flags,
                        seq,
                        pid,
                        -buf.getInt(offset + HEADER_LENGTH),
                        echoed ? Short.toUnsignedInt(buf.getShort(offset + HEADER_LENGTH + 8)) : -1,
                        echoed ? buf.getInt(offset + HEADER_LENGTH + 12) : -1);
            }
            case NLMSG_OVERRUN ->
                throw new NetlinkException(what + ": NLMSG_OVERRUN at offset " + offset + ": the kernel lost data");
            default ->
                new Data(
                        type,
                        flags,
                        seq,
                        pid,
                        buf.slice(offset + HEADER_LENGTH, len - HEADER_LENGTH).order(ByteOrder.nativeOrder()));
        };
    }

    /** Parses every message from position to limit (for tests and tools; dumps use {@link #next}). */
    static List<NetlinkMessage> parseAll(ByteBuffer buf, String what) throws NetlinkException {
        ByteBuffer view = buf.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        while (view.hasRemaining()) { // each step consumes >= 16 bytes or throws: terminates
            messages.add(next(view, what));
        }
        return messages;
    }

    /** linux/netlink.h NLMSG_ALIGN (and NLA_ALIGN): round up to 4 bytes. */
    static int align(int length) {
        return (length + 3) & ~3;
    }
}
