package io.listenq.collectors.netlink;

import java.nio.ByteBuffer;

/**
 * Walking netlink attributes, linux/netlink.h {@code struct nlattr}: u16 nla_len (header included),
 * u16 nla_type, payload, padding to NLA_ALIGN (4). Usage, allocation-free:
 *
 * <pre>{@code
 * for (int off = start; NetlinkAttributes.hasNext(buf, off); off = NetlinkAttributes.next(buf, off)) {
 *     int len = NetlinkAttributes.length(buf, off, what); // validated
 *     switch (NetlinkAttributes.type(buf, off)) { ... payload at off + 4, len - 4 bytes ... }
 * }
 * }</pre>
 */
final class NetlinkAttributes {
    /** linux/netlink.h: NLA_HDRLEN. */
    static final int HEADER_LENGTH = 4;
    /** linux/netlink.h: NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER). */
    static final int TYPE_MASK = 0x3fff;

    private NetlinkAttributes() {}

    /**
     * True if an attribute header fits at {@code offset}. Fewer than 4 trailing bytes are ignored,
     * as the kernel's nla_ok() does.
     */
    static boolean hasNext(ByteBuffer buf, int offset) {
        return buf.limit() - offset >= HEADER_LENGTH;
    }

    /**
     * The validated nla_len of the attribute at {@code offset}.
     *
     * @throws NetlinkException if nla_len is below 4 (a zero length would never advance) or runs
     *     past the end of the message
     */
    static int length(ByteBuffer buf, int offset, String what) throws NetlinkException {
        int len = Short.toUnsignedInt(buf.getShort(offset));
        int remaining = buf.limit() - offset;
        if (len < HEADER_LENGTH || len > remaining) {
            throw new NetlinkException(what + ": bad nla_len " + len + " for attribute type "
                    + type(buf, offset) + " at payload offset " + offset + " (must be " + HEADER_LENGTH + ".."
                    + remaining + ")");
        }
        return len;
    }

    static int type(ByteBuffer buf, int offset) {
        return Short.toUnsignedInt(buf.getShort(offset + 2)) & TYPE_MASK;
    }

    /** Offset of the following attribute; call only after {@link #length} validated this one. */
    static int next(ByteBuffer buf, int offset) {
        return offset + NetlinkMessage.align(Short.toUnsignedInt(buf.getShort(offset)));
    }
}
