package io.listenq.exporter.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Locks: one per (generation, format), so concurrent scrapes of a new snapshot encode it once while the others
 * wait for those bytes. The sampler never takes any of them: it only swaps the volatile reference that
 * {@code generation} reads.
 */
final class ExpositionCache {
    private final PrometheusRegistry registry;
    private final Supplier<?> generation;
    private final AtomicLong encodings = new AtomicLong();
    private final AtomicLong compressions = new AtomicLong();
    private volatile Entry current;

    /** @param generation identifies the data behind the registry; bytes are reused while it returns the same instance */
    ExpositionCache(PrometheusRegistry registry, Supplier<?> generation) {
        this.registry = registry;
        this.generation = generation;
    }

    /** The body for this format, gzip-compressed when {@code gzip}. The array is shared: callers must not modify it. */
    byte[] body(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        Object gen = generation.get();
        if (gen == null) {
            Encoded once = new Encoded(writer);
            return gzip ? once.gzip() : once.plain();
        }
        Entry e = current;
        if (e == null || e.generation != gen) {
            synchronized (this) {
                e = current;
                if (e == null || e.generation != gen) {
                    e = new Entry(gen); // cheap: encoding happens in the per-format slot, outside this lock
                    current = e;
                }
            }
        }
        Encoded slot = e.formats.computeIfAbsent(writer.getContentType(), k -> new Encoded(writer));
        return gzip ? slot.gzip() : slot.plain();
    }

    /**
     * The body of only the named families, as client_java's {@code name[]} parameter selects them (a name matches a
     * family when it equals its name or starts with it, so {@code foo_total} selects counter {@code foo}). Never
     * cached: such scrapes are rare (federation, debugging) and their selections vary.
     */
    byte[] filtered(ExpositionFormatWriter writer, boolean gzip, List<String> names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        writer.write(
                out,
                registry.scrape(
                        MetricNameFilter.builder().nameMustBeEqualTo(names).build()));
        encodings.incrementAndGet();
        return gzip ? compress(out.toByteArray()) : out.toByteArray();
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

    /** How many times the registry was scraped and encoded (for tests and the benchmark notes). */
    long encodings() {
        return encodings.get();
    }

    /** How many gzip compressions ran. */
    long compressions() {
        return compressions.get();
    }

    private record Entry(Object generation, Map<String, Encoded> formats) {
        Entry(Object generation) {
            this(generation, new ConcurrentHashMap<>());
        }
    }

    /**
     * One format of one generation; each form is computed by its first caller under its own lock (two locks, so a
     * plain scrape does not wait for someone else's compression once the plain bytes exist).
     */
    private final class Encoded {
        private final ExpositionFormatWriter writer;
        private final Object plainLock = new Object();
        private final Object gzipLock = new Object();
        private volatile byte[] plain;
        private volatile byte[] gzip;

        Encoded(ExpositionFormatWriter writer) {
            this.writer = writer;
        }

        byte[] plain() throws IOException {
            byte[] p = plain;
            if (p == null) {
                synchronized (plainLock) {
                    p = plain;
                    if (p == null) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
                        writer.write(out, registry.scrape());
                        encodings.incrementAndGet();
                        p = out.toByteArray();
                        plain = p;
                    }
                }
            }
            return p;
        }

        byte[] gzip() throws IOException {
            byte[] g = gzip;
            if (g == null) {
                synchronized (gzipLock) {
                    g = gzip;
                    if (g == null) {
                        g = compress(plain());
                        gzip = g;
                    }
                }
            }
            return g;
        }
    }
}
