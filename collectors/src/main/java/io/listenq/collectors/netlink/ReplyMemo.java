package io.listenq.collectors.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dump's last complete reply, as bytes: a new reply that is the same bytes (nlmsg_seq aside, which is the
 * request's) says the same, so it need not be decoded again. What tells two replies apart is all in their bytes:
 * the kernel fills each message from the socket's state alone (net/unix/diag.c sk_diag_fill), and every message
 * must carry the request's seq as {@link DumpReply#consume} requires. The datagrams of a reply are staged (copied)
 * until the one that ends it, then compared with the kept reply, and decoded only if they differ; the list the
 * kept reply decoded to is then given again. Not thread-safe; allocates only when a reply outgrows the buffers
 * (or is decoded).
 *
 * <p>A sampler keeps a memo per namespace, so what a memo keeps between dumps is only the kept reply, in a buffer
 * of its size (an empty reply is one 20-byte NLMSG_DONE). The stage is needed only within one dump, which runs to
 * its end (or fails) on the calling thread before that thread starts another: one stage per thread serves every
 * memo. A memo's staged datagrams are its own as long as {@link #stagedSeq} is, and a new dump has a new seq.
 *
 * @param <T> what one message decodes to
 */
final class ReplyMemo<T> {
    /** The staged datagrams of whichever memo the thread is dumping with; grows to the largest reply. */
    private static final ThreadLocal<ByteBuffer[]> STAGE =
            ThreadLocal.withInitial(() -> new ByteBuffer[] {buffer(512)});

    /**
     * The last reply decoded without error, in {@code [0, keptLength)}; null before the first, replaced by a larger
     * one only.
     */
    private ByteBuffer kept;
    /** End offset of each staged datagram in the stage. */
    private int[] ends = new int[4];

    private int datagrams;
    private int stagedSeq;
    private int keptLength = -1;
    private final List<T> decoded = new ArrayList<>();
    private List<T> last = List.of();

    private static ByteBuffer buffer(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
    }

    /** One record decoded from the reply being decoded. */
    void add(T record) {
        decoded.add(record);
    }

    /**
     * What the reply decoded to: the last list itself when it was {@link #unchanged}, else a new unmodifiable one.
     *
     * @param unchanged what the dump said
     */
    List<T> result(boolean unchanged) {
        if (!unchanged) {
            last = List.copyOf(decoded);
            decoded.clear();
        }
        return last;
    }

    /**
     * Copies {@code datagram} (position 0, limit its length) to the stage; true when it ends the reply: it holds an
     * NLMSG_DONE, NLMSG_ERROR or NLMSG_OVERRUN of {@code expectedSeq}, or a message that cannot be walked (its
     * decoding then says why).
     */
    boolean stage(ByteBuffer datagram, int expectedSeq) {
        if (expectedSeq != stagedSeq) { // a new dump: what a failed one staged, or decoded, goes
            stagedSeq = expectedSeq;
            datagrams = 0;
            decoded.clear();
        }
        int start = datagrams == 0 ? 0 : ends[datagrams - 1];
        int n = datagram.limit();
        ByteBuffer[] stage = STAGE.get();
        ByteBuffer staged = stage[0].clear(); // absolute puts are bounded by the limit, which a comparison left short
        if (staged.capacity() < start + n) {
            staged = buffer(Math.max(2 * staged.capacity(), start + n)).put(0, staged, 0, start);
            stage[0] = staged;
        }
        if (datagrams == ends.length) {
            ends = Arrays.copyOf(ends, 2 * datagrams);
        }
        staged.put(start, datagram, 0, n);
        ends[datagrams++] = start + n;
        for (int off = 0; off < n; off += NetlinkMessage.align(datagram.getInt(off))) {
            int len = n - off < NetlinkMessage.HEADER_LENGTH ? -1 : datagram.getInt(off);
            if (len < NetlinkMessage.HEADER_LENGTH || len > n - off) {
                return true; // cannot be walked: decoding throws, the dump must not wait for more
            }
            int type = Short.toUnsignedInt(datagram.getShort(off + 4));
            boolean ends = type == NetlinkMessage.NLMSG_DONE
                    || type == NetlinkMessage.NLMSG_ERROR
                    || type == NetlinkMessage.NLMSG_OVERRUN;
            if (ends && datagram.getInt(off + 8) == expectedSeq) {
                return true;
            }
        }
        return false;
    }

    /** Whether the staged reply is the kept one, each of its messages carrying {@code expectedSeq}. */
    boolean unchanged(int expectedSeq) {
        int length = ends[datagrams - 1];
        if (length != keptLength) {
            return false;
        }
        // The kept messages were decoded without error when they were kept: their offsets can be trusted. The
        // datagram boundaries need not match: no message spans two.
        for (int off = 0; off < keptLength; off += NetlinkMessage.align(kept.getInt(off))) {
            kept.putInt(off + 8, expectedSeq);
        }
        return kept.clear().limit(length).mismatch(STAGE.get()[0].clear().limit(length)) < 0;
    }

    /**
     * Decodes the staged datagrams in order ({@link DumpReply#consume}); a reply that ends where its last datagram
     * does is kept for the next comparison. Returns whether NLMSG_DONE was seen.
     */
    boolean decode(int expectedSeq, int expectedType, String what, DumpReply.PayloadSink sink) throws NetlinkException {
        int count = datagrams;
        datagrams = 0;
        keptLength = -1;
        ByteBuffer staged = STAGE.get()[0];
        for (int i = 0, start = 0; i < count; start = ends[i++]) {
            ByteBuffer d = staged.slice(start, ends[i] - start).order(ByteOrder.nativeOrder());
            if (DumpReply.consume(d, expectedSeq, expectedType, what, sink)) {
                if (i == count - 1) {
                    int length = ends[i];
                    if (kept == null || kept.capacity() < length) {
                        kept = buffer(length);
                    }
                    kept.clear().put(0, staged, 0, length);
                    keptLength = length;
                }
                return true;
            }
        }
        return false;
    }
}
