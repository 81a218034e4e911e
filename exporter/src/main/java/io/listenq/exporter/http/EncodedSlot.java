package io.listenq.exporter.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The bytes of one kind of scrape (format and compression): the ones served, and the ones they replaced, kept once no
 * scrape sends them so that the next encode writes over their chunks. Scrapes only {@link #acquire()} (and, releasing
 * a replaced body last, hand it back); everything else runs under the format's lock in {@link ExpositionCache}.
 */
final class EncodedSlot {
    /**
     * A body larger than this (plain text or protobuf from ~3,000 series; gzip from ~80,000) is not kept for a scraper
     * that left (a body of a kind with no rhythm yet is not kept whatever its size).
     */
    static final int SPARE_LIMIT = 2 << 20;

    final ScrapeRhythm rhythm = new ScrapeRhythm();
    /** Whether its scrapes may {@link #streams stream} (uncompressed kinds). */
    private final boolean streamable;
    /** The length of the last body made for this kind, kept or streamed; 0 before the first. */
    private volatile int lastLength;

    private volatile EncodedBytes current;
    /** A replaced body no scrape sends any more, retired: the next encode reuses its chunks. */
    private final AtomicReference<EncodedBytes> spare = new AtomicReference<>();

    /** A slot whose bytes are always kept (gzip; tests). */
    EncodedSlot() {
        this(false);
    }

    /** @param streamable whether its scrapes may stream an encode of their own (uncompressed bodies) */
    EncodedSlot(boolean streamable) {
        this.streamable = streamable;
    }

    EncodedBytes acquire() {
        for (EncodedBytes b = current; b != null; b = current) {
            if (b.tryAcquire()) {
                return b;
            }
        }
        return null;
    }

    /**
     * Whether a scrape of this kind gets an encode of its own, streamed, rather than bytes kept for it: a body larger
     * than {@link #SPARE_LIMIT} (plain text or protobuf from ~3,000 series) asked for at most twice per round. Keeping
     * it costs two bodies of heap for as long as the kind is scraped (the one served and the one the next encode
     * writes into: 17 MB of text at 1,000 namespaces x 10 listeners); streaming costs one encode per scrape, which at
     * two scrapes a round is at most one encode a round more than encoding ahead. A kind asked for more often, by
     * several scrapers or one in a loop, shares kept bytes (one encode a round however many scrapes). The first
     * scrapes of a kind, before its size is known, stream too: keeping 8 MB for a scraper that may never come back
     * (a curl) grew the old generation for good.
     *
     * @param interval the time between rounds, 0 when not known yet
     * @param sizeHint what the body will at least measure, for a kind not encoded yet (0: unknown, kept)
     */
    boolean streams(long interval, long sizeHint) {
        if (!streamable) {
            return false;
        }
        boolean often = interval > 0 && rhythm.known() && rhythm.shortestGap() < interval / 2;
        return (lastLength == 0 ? sizeHint : lastLength) > SPARE_LIMIT && !often;
    }

    /** The length of a body just made for this kind. */
    void made(int length) {
        lastLength = length;
    }

    /** As {@link #due(Object, long, long, long, long)} for a kind whose size is known or not guessed. */
    boolean due(Object gen, long now, long interval, long encode) {
        return due(gen, now, interval, encode, 0);
    }

    /**
     * Whether this round must encode {@code gen} for this kind; frees the bytes of a kind not asked for, or whose
     * scrapes {@link #streams stream}.
     */
    boolean due(Object gen, long now, long interval, long encode, long sizeHint) {
        if (streams(interval, sizeHint)) {
            current = null; // its scrapes stream their own
            spare.set(null);
            return false;
        }
        return switch (rhythm.atRound(now, interval, encode)) {
            case ENCODE -> {
                if (!rhythm.known() && current != null) {
                    // One scrape seen (a curl, a size check, a new Prometheus target): no rhythm to encode ahead for.
                    // Encoding every round until a second scrape comes would cost a whole encode a round (at 1,000
                    // namespaces ~25 ms of C1 CPU, gzip included: the cost is the series, not the compressed size)
                    // for a scraper that may never come back, and would keep 7-8 MB of text. Its next scrape is
                    // encoded while it waits, as the first was, with that round's data; from then on its rhythm is
                    // known.
                    current = null;
                    spare.set(null);
                    yield false;
                }
                yield current == null || current.generation() != gen;
            }
            case KEEP -> false;
            case GONE -> {
                if (current != null && current.capacity() > SPARE_LIMIT) {
                    current = null; // 9 MB of text for a scraper that left: not worth the heap
                }
                spare.set(null);
                yield false;
            }
            case DROP -> {
                current = null;
                spare.set(null);
                yield false;
            }
        };
    }

    /** An empty body to encode into: the spare's chunks when the last body replaced is free by now, else new ones. */
    EncodedBytes blank() {
        EncodedBytes s = spare.getAndSet(null);
        return s != null ? s.reuse() : new EncodedBytes();
    }

    void publish(EncodedBytes b) {
        EncodedBytes replaced = current;
        current = b;
        if (replaced != null) {
            // Kept once free (at once, or when its last scrape is done: with scrapers reading without pause a 9 MB
            // body is often still being sent now), unless a spare is already there.
            replaced.replaced(this::keep);
        }
    }

    private void keep(EncodedBytes free) {
        if (current != null) {
            spare.compareAndSet(null, free);
        }
    }
}
