package io.listenq.exporter.http;

import io.listenq.exporter.exposition.CachedProtobufWriter;
import io.listenq.exporter.exposition.CachedTextWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The exposition bytes scrapes are answered with, encoded ahead of them: {@link #encodeAhead()} runs on the sampler
 * thread right after each round publishes its snapshot and encodes, for each kind of scrape seen lately (format, gzip
 * or not), the bytes that kind will be asked for before the next round ({@link ScrapeRhythm}). A scrape only copies
 * the latest bytes of its kind to the socket: it never waits for an encode, and the previous bytes serve until the new
 * ones are complete. With 10,000 listener series the text is ~7 MB and one encode ~0.2 s of CPU.
 *
 * <p>Memory: only the kinds asked for are kept, gzip compressed while the text is written (a Prometheus scrape, gzip,
 * keeps ~330 KB at 10,000 series, not the 9 MB text); bodies are chunked, and those of the round before are reused for
 * the next encode once no scrape is sending them ({@link EncodedBytes}); a kind not asked for in two minutes (and three
 * of its gaps) is freed. A plain body over {@link EncodedSlot#SPARE_LIMIT} asked for at most twice a round is not
 * kept at all: {@link #body} answers null and the scrape {@link #stream}s an encode of its own ({@link
 * EncodedSlot#streams}).
 *
 * <p>Freshness: the listener figures of a regular scraper are those of the last round before its scrape. A scrape
 * that comes sooner than its kind's rhythm, and the first of a kind, may get the bytes of an earlier round (never
 * older than those the previous scrape of its kind got); the next round encodes. The registry also holds the
 * exporter's own JVM, process and Micrometer meters: in a scrape they are as of the encode, at most one
 * {@code --sample.interval} old for a regular scraper.
 *
 * <p>Before {@link #encodeAhead()} first runs (no round yet, or a server without a sampler: tests) the cache works on
 * demand: the first scrape of a generation and kind encodes it, concurrent ones wait for those bytes. A {@code null}
 * generation is never cached. Encodes and the bytes they replace are per format, under that format's lock.
 */
final class ExpositionCache implements AutoCloseable {
    private final PrometheusRegistry registry;
    private final RegistryView view;
    private final Supplier<?> generation;
    private final LongSupplier clock;
    private final RequestProblems problems;
    private final Map<String, Format> formats = new ConcurrentHashMap<>();
    private final AtomicLong encodings = new AtomicLong();
    private final AtomicLong compressions = new AtomicLong();
    /** Set by the first {@link #encodeAhead()}: from then on stale bytes are served (and noted), not re-encoded. */
    private volatile boolean ahead;
    /** When the last round was encoded ahead, and how long its encodes took; sampler thread only. */
    private long lastRound = Long.MIN_VALUE;
    /** The time between the last two rounds; 0 until known. */
    private volatile long roundInterval;

    private long lastEncode;
    /**
     * An encode ahead is running: a scrape meanwhile gets the round before, as planned, and that is not a miss
     * (counting it as one would make the next round encode again for nothing).
     */
    private volatile boolean encoding;

    /** @param generation identifies the data behind the registry; bytes are current while it returns the same instance */
    ExpositionCache(
            PrometheusRegistry registry,
            Supplier<?> generation,
            RegistryView.Rows rows,
            RequestProblems problems,
            LongSupplier clock) {
        this.registry = registry;
        this.view = new RegistryView(registry, rows);
        this.generation = generation;
        this.problems = problems;
        this.clock = clock;
    }

    ExpositionCache(PrometheusRegistry registry, Supplier<?> generation, RequestProblems problems, LongSupplier clock) {
        this(registry, generation, RegistryView.Rows.NONE, problems, clock);
    }

    ExpositionCache(PrometheusRegistry registry, Supplier<?> generation) {
        this(registry, generation, RegistryView.Rows.NONE, new RequestProblems(), System::nanoTime);
    }

    /**
     * The body for this format, gzip-compressed when {@code gzip}, acquired: the caller sends it and then calls
     * {@link EncodedBytes#release()}, and never modifies it. Null when this scrape is to {@link #stream} its own
     * ({@link EncodedSlot#streams}).
     */
    EncodedBytes body(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        Object gen = generation.get();
        if (gen == null) {
            return encodeAlone(writer, gzip, registry.scrape());
        }
        Format f = formats.computeIfAbsent(writer.getContentType(), k -> new Format(writer));
        EncodedSlot v = f.variant(gzip);
        EncodedBytes b = v.acquire();
        boolean current = b != null && b.generation() == gen;
        v.rhythm.requested(clock.getAsLong(), b != null && !current && !encoding);
        if (!gzip && v.streams(roundInterval, view.rowBytesAtLeast())) {
            if (b != null) {
                b.release();
            }
            return null;
        }
        if (current || (b != null && ahead)) {
            return b;
        }
        if (b != null) {
            b.release();
        }
        synchronized (f) {
            b = v.acquire();
            if (b != null && (ahead || b.generation() == gen)) {
                return b; // encoded meanwhile by a concurrent scrape or the sampler
            }
            if (b != null) {
                b.release();
            }
            EncodedBytes plain = gzip ? f.plain.acquire() : null;
            if (plain != null && plain.generation() == gen) {
                f.compress(plain, gen); // the gzip of the very bytes plain scrapes of this generation got
            } else {
                f.encode(gen, view.pass(), !gzip, gzip);
            }
            if (plain != null) {
                plain.release();
            }
            return v.acquire();
        }
    }

    /**
     * Writes the current exposition in {@code writer}'s format straight to {@code out}, as the cache would have
     * encoded it, with writers of its own: no lock is shared with the cache or another scrape (a slow client holds up
     * nobody), and no body is kept. Only the 64 KiB of the writer's buffer and its label blocks of the registry's
     * families live for the scrape.
     */
    void stream(ExpositionFormatWriter writer, OutputStream out) throws IOException {
        ExpositionFormatWriter own = CachedProtobufWriter.replacing(CachedTextWriter.replacing(writer));
        RegistryView.Counting counted = new RegistryView.Counting(out);
        view.pass().writeTo(own, counted);
        encodings.incrementAndGet();
        Format f = formats.get(writer.getContentType());
        if (f != null) {
            f.plain.made(counted.count);
        }
    }

    /**
     * The body of only the named families, as client_java's {@code name[]} parameter selects them (a name matches a
     * family when it equals its name or starts with it, so {@code foo_total} selects counter {@code foo}). Never
     * cached: such scrapes are rare (federation, debugging) and their selections vary.
     */
    EncodedBytes filtered(ExpositionFormatWriter writer, boolean gzip, List<String> names) throws IOException {
        return encodeAlone(
                writer,
                gzip,
                registry.scrape(
                        MetricNameFilter.builder().nameMustBeEqualTo(names).build()));
    }

    private EncodedBytes encodeAlone(ExpositionFormatWriter writer, boolean gzip, MetricSnapshots snapshots)
            throws IOException {
        EncodedBytes body = new EncodedBytes();
        if (gzip) {
            GzipSink z = new GzipSink();
            try {
                writer.write(z.open(body), snapshots);
                z.finish();
            } finally {
                z.end();
            }
            compressions.incrementAndGet();
        } else {
            writer.write(body, snapshots);
        }
        encodings.incrementAndGet();
        body.tryAcquire();
        return body;
    }

    /**
     * Encodes the current generation for every kind of scrape expected before the next round, and frees the kinds
     * nobody asks for any more. Runs on the sampler thread after each round; never throws (a failure is logged once
     * per kind and the previous bytes keep serving).
     */
    void encodeAhead() {
        Object gen = generation.get();
        if (gen == null) {
            return;
        }
        long now = clock.getAsLong();
        long interval = lastRound == Long.MIN_VALUE ? 0 : now - lastRound;
        lastRound = now;
        roundInterval = interval;
        ahead = true;
        RegistryView.Pass scrape = view.pass();
        try {
            for (Format f : formats.values()) {
                synchronized (f) {
                    boolean plain = f.plain.due(gen, now, interval, lastEncode, view.rowBytesAtLeast());
                    boolean gzip = f.gzip.due(gen, now, interval, lastEncode);
                    if (plain || gzip) {
                        encoding = true;
                        f.encode(gen, scrape, plain, gzip);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.report("encoding /metrics ahead failed, scrapes get the previous bytes", e);
        } finally {
            if (encoding) {
                encoding = false;
                lastEncode = clock.getAsLong() - now;
            }
        }
    }

    /** How many times the registry was encoded (for tests and the benchmark notes). */
    long encodings() {
        return encodings.get();
    }

    /** How many gzip bodies were compressed. */
    long compressions() {
        return compressions.get();
    }

    @Override
    public void close() {
        for (Format f : formats.values()) {
            synchronized (f) {
                f.close();
            }
        }
    }

    /** One format's plain and gzip bodies; encoded under its lock, by one writer pass feeding both when both are due. */
    private final class Format {
        private final ExpositionFormatWriter writer;
        private final EncodedSlot plain = new EncodedSlot(true);
        private final EncodedSlot gzip = new EncodedSlot();
        /** Created at the first gzip encode, ended with the cache. */
        private GzipSink sink;

        Format(ExpositionFormatWriter writer) {
            // client_java's text and protobuf formats: the same bytes at a fraction of the CPU and allocation
            // (CachedTextWriter, CachedProtobufWriter); one per format, used under its lock
            this.writer = CachedProtobufWriter.replacing(CachedTextWriter.replacing(writer));
        }

        EncodedSlot variant(boolean gz) {
            return gz ? gzip : plain;
        }

        void encode(Object gen, RegistryView.Pass scrape, boolean wantPlain, boolean wantGzip) throws IOException {
            EncodedBytes p = wantPlain ? plain.blank() : null;
            EncodedBytes z = wantGzip ? gzip.blank() : null;
            if (z != null && sink == null) {
                sink = new GzipSink();
            }
            OutputStream out = p == null ? sink.open(z) : z == null ? p : new RegistryView.Tee(p, sink.open(z));
            scrape.writeTo(writer, out);
            encodings.incrementAndGet();
            if (z != null) {
                sink.finish();
                compressions.incrementAndGet();
                gzip.publish(z.sealed(gen));
            }
            if (p != null) {
                plain.made(p.length());
                plain.publish(p.sealed(gen));
            }
        }

        void compress(EncodedBytes plainBytes, Object gen) throws IOException {
            EncodedBytes z = gzip.blank();
            sink = sink != null ? sink : new GzipSink();
            plainBytes.writeTo(sink.open(z));
            sink.finish();
            compressions.incrementAndGet();
            gzip.publish(z.sealed(gen));
        }

        void close() {
            if (sink != null) {
                sink.end();
                sink = null;
            }
        }
    }
}
