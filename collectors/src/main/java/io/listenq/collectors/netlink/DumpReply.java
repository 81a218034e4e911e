package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.nio.ByteBuffer;

/** The framing of one sock_diag dump's reply datagrams: seq, type, NLMSG_DONE and NLMSG_ERROR (pure, tested alone). */
final class DumpReply {
    private DumpReply() {}

    /** Takes each data message's payload of a dump. */
    @FunctionalInterface
    interface PayloadSink {
        void accept(ByteBuffer payload) throws NetlinkException;
    }

    /**
     * Processes one reply datagram (pure; the dump loop's core, separate for tests). Messages from
     * an earlier seq of ours (left over when a previous dump failed half way) are skipped. Data messages must have
     * {@code expectedType}, the request's: SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for a one-walk dump (§2).
     *
     * @return true once NLMSG_DONE (with errno 0) was seen
     * @throws NetlinkException on NLMSG_ERROR, DONE with an error, an unexpected seq or type, or a
     *     malformed message; the message names the dump and the offset
     */
    static boolean consume(ByteBuffer datagram, int expectedSeq, int expectedType, String what, PayloadSink sink)
            throws NetlinkException {
        int size = datagram.limit();
        while (datagram.hasRemaining()) { // next() consumes >= 16 bytes or throws
            int offset = datagram.position();
            NetlinkMessage message = NetlinkMessage.next(datagram, what);
            int age = expectedSeq - message.seq();
            if (age > 0 && age < (1 << 20)) {
                continue;
            }
            if (age != 0) {
                throw new NetlinkException(what + ": unexpected seq " + Integer.toUnsignedString(message.seq())
                        + " at offset " + offset + ", expected " + Integer.toUnsignedString(expectedSeq));
            }
            switch (message) {
                case NetlinkMessage.Done done -> {
                    if (done.errno() != 0) {
                        throw new NetlinkException(
                                what + ": NLMSG_DONE with error " + Native.strerror(done.errno()) + " (errno "
                                        + done.errno() + ") at offset " + offset,
                                done.errno());
                    }
                    return true;
                }
                case NetlinkMessage.Error error ->
                    throw new NetlinkException(
                            what + ": NLMSG_ERROR " + Native.strerror(error.errno()) + " (errno " + error.errno()
                                    + ") at offset " + offset,
                            error.errno());
                case NetlinkMessage.Data data -> {
                    if (data.type() != expectedType) {
                        throw new NetlinkException(what + ": message type " + data.type() + " at offset " + offset
                                + ", expected " + expectedType + " (the request's)");
                    }
                    try {
                        sink.accept(data.payload());
                    } catch (NetlinkException e) {
                        throw new NetlinkException(
                                what + ": message at offset " + offset + " of a " + size + "-byte datagram (payload "
                                        + data.payload().limit() + " bytes): " + e.getMessage(),
                                e.errno(),
                                e);
                    }
                }
            }
        }
        return false;
    }
}
