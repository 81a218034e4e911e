package io.listenq.exporter.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * The exposition bytes of the registry, encoded once per generation (the sampler's current snapshot instance) and
 * format, and gzip-compressed at most once more, only when a client asks for it. With 10,000 listener series the
 * text is about 7 MB: encoding it (and gzipping it) on every request made concurrent scrapes cost hundreds of ms.
 *
 * <p>Consequence: the registry also holds the exporter's own JVM and process meters (Micrometer), which change
 * without a new snapshot; in a cached response they are as of the first scrape after each sampling round, so at most
 * one {@code --sample.interval} old. A {@code null} generation (no snapshot yet) is never cached: every request
 * encodes afresh.
 *
 * <p>Each form (format, plain or gzip) of a new generation is computed by one scrape, under that form's lock; the
 * scrapes that arrive meanwhile get the form's previous bytes at once (one round older, never older than what that
 * client saw before) and only wait when there are none yet. The sampler never takes any of these locks: it only
 * swaps the volatile reference that {@code generation} reads.
 */
final class ExpositionCache {
    private final PrometheusRegistry registry;
    private final Supplier<?> generation;
    private final Map<String, Form> forms = new ConcurrentHashMap<>();
    private final AtomicLong encodings = new AtomicLong();
    private final AtomicLong compressions = new AtomicLong();

    /** @param generation identifies the data behind the registry; bytes are reused while it returns the same instance */
    ExpositionCache(PrometheusRegistry registry, Supplier<?> generation) {
        this.registry = registry;
        this.generation = generation;
    }

    /** The body for this format, gzip-compressed when {@code gzip}. The array is shared: callers must not modify it. */
    byte[] body(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        Object gen = generation.get();
        if (gen == null) {
            byte[] plain = encode(writer);
            return gzip ? compress(plain) : plain;
        }
        Form form = forms.computeIfAbsent(writer.getContentType() + (gzip ? " gzip" : ""), k -> new Form());
        Bytes last = form.last;
        if (last != null && last.generation == gen) {
            return last.bytes;
        }
        if (last != null && !form.lock.tryLock()) {
            return last.bytes; // another scrape is computing this round's bytes: serve the previous round's meanwhile
        }
        if (last == null) {
            form.lock.lock(); // nothing to serve yet: wait for the one computing it
        }
        try {
            last = form.last;
            if (last != null && last.generation == gen) {
                return last.bytes;
            }
            // gzip: compress exactly this generation's plain bytes (waiting for them), never a previous round's
            byte[] bytes = gzip ? compress(exact(writer, gen)) : encode(writer);
            form.last = new Bytes(gen, bytes);
            return bytes;
        } finally {
            form.lock.unlock();
        }
    }

    /** The plain bytes of {@code gen}, waiting for them if another scrape is encoding them. */
    private byte[] exact(ExpositionFormatWriter writer, Object gen) throws IOException {
        Form form = forms.computeIfAbsent(writer.getContentType(), k -> new Form());
        form.lock.lock();
        try {
            Bytes last = form.last;
            if (last != null && last.generation == gen) {
                return last.bytes;
            }
            byte[] bytes = encode(writer);
            form.last = new Bytes(gen, bytes);
            return bytes;
        } finally {
            form.lock.unlock();
        }
    }

    private byte[] encode(ExpositionFormatWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writer.write(out, registry.scrape());
        encodings.incrementAndGet();
        return out.toByteArray();
    }

    private byte[] compress(byte[] plain) throws IOException {
        // Exposition text compresses about 30:1; size the buffer near that instead of growing it.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, plain.length / 16));
        try (GZIPOutputStream z = new GZIPOutputStream(out, 64 * 1024)) {
            z.write(plain);
        }
        compressions.incrementAndGet();
        return out.toByteArray();
    }

    /** How many times the registry was scraped and encoded (for tests). */
    long encodings() {
        return encodings.get();
    }

    /** How many gzip compressions ran (for tests). */
    long compressions() {
        return compressions.get();
    }

    private record Bytes(Object generation, byte[] bytes) {
    }

    /** One format, plain or gzip: its latest bytes and the lock of whoever computes the next. */
    private static final class Form {
        final ReentrantLock lock = new ReentrantLock();
        volatile Bytes last;
    }
}
