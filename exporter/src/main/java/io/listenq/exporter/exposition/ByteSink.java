package io.listenq.exporter.exposition;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A 64 KiB buffer in front of the body's stream: the stream (a gzip deflater, a body array) gets a few large writes
 * per encode, not one per line. Values are formatted into it without a {@code String} where that gives the same
 * characters as {@link Double#toString(double)}.
 */
final class ByteSink {
    private static final byte[] PLUS_INF = {'+', 'I', 'n', 'f'};
    private static final byte[] MINUS_INF = {'-', 'I', 'n', 'f'};
    /** Below this an integral double prints as its digits and ".0" ({@code Double.toString}: 10^7 and up use E). */
    private static final double PLAIN_LIMIT = 1e7;

    private final byte[] buf = new byte[64 * 1024];
    private int count;
    private OutputStream out;

    void open(OutputStream out) {
        this.out = out;
        count = 0;
    }

    void flush() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }

    void put(byte b) throws IOException {
        if (count == buf.length) {
            flush();
        }
        buf[count++] = b;
    }

    void put(byte[] b) throws IOException {
        put(b, b.length);
    }

    /** The first {@code n} bytes of {@code b}. */
    void put(byte[] b, int n) throws IOException {
        put(b, 0, n);
    }

    /** As client_java's text format writes a value: {@code +Inf}, {@code -Inf}, else {@link Double#toString}. */
    void putDouble(double d) throws IOException {
        if (d == Double.POSITIVE_INFINITY) {
            put(PLUS_INF);
        } else if (d == Double.NEGATIVE_INFINITY) {
            put(MINUS_INF);
        } else if (d == (long) d && Math.abs(d) < PLAIN_LIMIT && (d != 0 || 1 / d > 0)) {
            putLong((long) d); // -0.0 excluded: it prints "-0.0"
            put((byte) '.');
            put((byte) '0');
        } else {
            String s = Double.toString(d);
            for (int i = 0; i < s.length(); i++) {
                put((byte) s.charAt(i)); // ASCII: digits, '.', 'E', '-', "NaN"
            }
        }
    }

    void putLong(long v) throws IOException {
        if (buf.length - count < 20) {
            flush();
        }
        if (v < 0) {
            buf[count++] = '-';
            v = -v; // |v| < 10^7 here, no overflow
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int i = count + digits - 1; i >= count; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        count += digits;
    }

    /** A protobuf base-128 varint of a non-negative int. */
    void putVarint(int v) throws IOException {
        while ((v & ~0x7f) != 0) {
            put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    /** {@code n} bytes of {@code b} from {@code off}. */
    void put(byte[] b, int off, int n) throws IOException {
        if (n > buf.length - count) {
            flush();
            if (n > buf.length) {
                out.write(b, off, n);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, n);
        count += n;
    }

    /** A protobuf fixed64 (a double's raw bits), little-endian. */
    void putFixed64(long v) throws IOException {
        if (buf.length - count < 8) {
            flush();
        }
        for (int i = 0; i < 8; i++) {
            buf[count++] = (byte) (v >>> (8 * i));
        }
    }
}
