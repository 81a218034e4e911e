package io.listenq.exporter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One encoded exposition body: written once by its encoder (it is an {@link OutputStream}), then only read, by any
 * number of scrapes at once. Scrapes {@link #tryAcquire() acquire} it and {@link #release()} it when their write has
 * returned. The bytes live in 64 KiB chunks, added as the body grows: a 9 MB text body is never copied into a larger
 * array (no 1.5x or 2x peaks while it grows), and no single array needs 9 MB of contiguous heap.
 *
 * <p>Reuse: once {@link #replaced replaced} in its slot, the body is retired by whoever sees it free last (the
 * encoder, or the last scrape sending it) and handed back to its slot, whose next encode writes over its chunks. A body
 * of 10,000 series is thus not allocated once per round, which in a 96 MiB heap would promote such arrays and end in
 * full collections.
 */
final class EncodedBytes extends OutputStream {
    static final int CHUNK = 64 * 1024;

    private byte[][] chunks = new byte[4][];
    /** Chunks allocated; the body fills them in order. */
    private int allocated;

    private int count;
    private Object generation;
    /** How many scrapes are writing this body; -1 once retired (no scrape may acquire it any more). */
    private final AtomicInteger readers = new AtomicInteger();
    /** Set when the body is replaced: where it goes once no scrape sends it any more. */
    private volatile Consumer<EncodedBytes> whenFree;

    EncodedBytes() {}

    /**
     * Empties a retired body for reuse by its encoder. It stays retired while it is rewritten: a scrape that read it
     * from its slot long ago cannot acquire it half-written.
     */
    EncodedBytes reuse() {
        count = 0;
        generation = null;
        whenFree = null;
        return this;
    }

    /** Seals the written body as the bytes of {@code generation}, ready to be published and acquired. */
    EncodedBytes sealed(Object generation) {
        this.generation = generation;
        readers.set(0);
        return this;
    }

    Object generation() {
        return generation;
    }

    int length() {
        return count;
    }

    /** The bytes its chunks hold, written or not. */
    int capacity() {
        return allocated * CHUNK;
    }

    /** The chunk to write at {@link #length()} (deflating straight into it): one with at least a byte free. */
    byte[] room() {
        int i = count / CHUNK;
        if (i == allocated) {
            if (i == chunks.length) {
                chunks = Arrays.copyOf(chunks, i * 2);
            }
            chunks[allocated++] = new byte[CHUNK];
        }
        return chunks[i];
    }

    /** Where in {@link #room()} the next byte goes. */
    int position() {
        return count % CHUNK;
    }

    void advance(int n) {
        count += n;
    }

    @Override
    public void write(int b) {
        room()[position()] = (byte) b;
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            byte[] c = room();
            int at = position();
            int n = Math.min(len, CHUNK - at);
            System.arraycopy(b, off, c, at, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends the whole body; the caller holds it acquired until this returns. */
    void writeTo(OutputStream out) throws IOException {
        int full = count / CHUNK;
        for (int i = 0; i < full; i++) {
            out.write(chunks[i], 0, CHUNK);
        }
        if (count % CHUNK > 0) {
            out.write(chunks[full], 0, count % CHUNK);
        }
    }

    /** False when the encoder retired it meanwhile: the caller should read the slot again. */
    boolean tryAcquire() {
        for (int r = readers.get(); r >= 0; r = readers.get()) {
            if (readers.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    void release() {
        if (readers.decrementAndGet() == 0) {
            Consumer<EncodedBytes> free = whenFree;
            if (free != null && retire()) {
                free.accept(this); // the last scrape of a replaced body
            }
        }
    }

    /**
     * Its slot serves newer bytes: once no scrape sends it (now, or when the last one releases it), it is retired and
     * given to {@code free}, once.
     */
    void replaced(Consumer<EncodedBytes> free) {
        whenFree = free;
        if (retire()) {
            free.accept(this);
        }
    }

    /** True when no scrape holds it (and none can acquire it from now on): its chunks may be reused. */
    boolean retire() {
        return readers.compareAndSet(0, -1);
    }
}
