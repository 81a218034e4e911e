package io.listenq.exporter.http;

import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip (RFC 1952) compression straight into an {@link EncodedBytes}, while the text is being encoded: the plain text of
 * a format nobody asks for uncompressed never exists in memory. Unlike {@code GZIPOutputStream} it keeps one
 * {@link Deflater} (and its native zlib state, ~270 KB) for every body instead of allocating and freeing one per body,
 * and it writes into the body's array without an intermediate buffer. One encode at a time (the caller's lock).
 */
final class GzipSink extends OutputStream {
    /**
     * zlib's fastest level. With the text written by {@code CachedTextWriter} the deflate is most of a gzip encode:
     * at 10,000 listener series (9.1 MB of text, C1, EncodeBenchmark) level 1 took 16 ms for 325 KB where the default
     * level 6 took about twice that for 296 KB; 10% more bytes to keep and send, for an encode that runs once per
     * round on the sampler thread, on cores the scrapes share.
     */
    static final int LEVEL = Deflater.BEST_SPEED;
    /** RFC 1952 section 2.3: magic, CM=8 (deflate), no flags, no mtime, no extra flags, OS unknown (255). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();
    private EncodedBytes out;

    /** Starts a new gzip member in {@code body}. */
    GzipSink open(EncodedBytes body) {
        deflater.reset();
        crc.reset();
        out = body;
        body.write(HEADER, 0, HEADER.length);
        return this;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        crc.update(b, off, len);
        deflater.setInput(b, off, len);
        // the caller may reuse b as soon as this returns: consume all of it now
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    /** Ends the member: the last deflate block, then CRC-32 and the input size mod 2^32, both little-endian. */
    void finish() {
        deflater.finish();
        while (!deflater.finished()) {
            drain(Deflater.NO_FLUSH);
        }
        int size = (int) deflater.getBytesRead();
        int sum = (int) crc.getValue();
        byte[] trailer = {
            (byte) sum, (byte) (sum >> 8), (byte) (sum >> 16), (byte) (sum >> 24),
            (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)
        };
        out.write(trailer, 0, trailer.length);
        out = null;
    }

    private void drain(int flush) {
        byte[] room = out.room();
        int at = out.position();
        out.advance(deflater.deflate(room, at, room.length - at, flush));
    }

    /** Nothing: a format writer may close the stream it was given; the sink stays usable until {@link #end()}. */
    @Override
    public void close() {}

    /** Frees the native zlib state; the sink is unusable afterwards. */
    void end() {
        deflater.end();
    }
}
