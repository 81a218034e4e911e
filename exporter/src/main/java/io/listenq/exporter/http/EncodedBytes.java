package io.listenq.exporter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One encoded exposition body: written once by its encoder (it is an {@link OutputStream} that grows its array), then
 * only read, by any number of scrapes at once. Scrapes {@link #tryAcquire() acquire} it and {@link #release()} it when
 * their write has returned; the encoder {@link #retire() retires} a replaced body and reuses its array for a later
 * generation only when no scrape holds it any more. A 7 MB text body is thus not allocated (and grown by copies) once
 * per round, which in a 64 MiB heap would promote such arrays and end in full collections.
 */
final class EncodedBytes extends OutputStream {
    /** Never grow from tiny: the smallest real body (build info and the JVM's own metrics) is ~10 KB. */
    private static final int MIN_CAPACITY = 16 * 1024;

    private byte[] buf;
    private int count;
    private Object generation;
    /** How many scrapes are writing this body; -1 once retired (no scrape may acquire it any more). */
    private final AtomicInteger readers = new AtomicInteger();

    EncodedBytes(int capacityHint) {
        buf = new byte[Math.max(MIN_CAPACITY, capacityHint)];
    }

    /**
     * Empties a retired body for reuse by its encoder. It stays retired while it is rewritten: a scrape that read it
     * from its slot long ago cannot acquire it half-written.
     */
    EncodedBytes reuse() {
        count = 0;
        generation = null;
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

    int capacity() {
        return buf.length;
    }

    /** The capacity its next encoder should start with (the body size seldom changes much between rounds). */
    int capacityHint() {
        return count + count / 8;
    }

    /** The array for writing {@code more} bytes at {@link #length()} (deflating straight into it). */
    byte[] room(int more) {
        if (buf.length - count < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length + (buf.length >> 1), count + more));
        }
        return buf;
    }

    void advance(int n) {
        count += n;
    }

    @Override
    public void write(int b) {
        room(1)[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        System.arraycopy(b, off, room(len), count, len);
        count += len;
    }

    /** Sends the whole body; the caller holds it acquired until this returns. */
    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
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
        readers.decrementAndGet();
    }

    /** True when no scrape holds it (and none can acquire it from now on): its array may be reused. */
    boolean retire() {
        return readers.compareAndSet(0, -1);
    }
}
