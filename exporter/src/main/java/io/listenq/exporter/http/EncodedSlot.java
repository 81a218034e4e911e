package io.listenq.exporter.http;

/**
 * The bytes of one kind of scrape (format and compression): the ones served, and the ones they replaced, kept so that
 * the next encode can reuse their array. Scrapes only {@link #acquire()}; everything else runs under the format's lock
 * in {@link ExpositionCache}.
 */
final class EncodedSlot {
    /** The largest body kept for reuse: a gzip body up to ~80,000 series, a plain one up to ~3,000. */
    static final int SPARE_LIMIT = 2 << 20;

    final ScrapeRhythm rhythm = new ScrapeRhythm();
    private volatile EncodedBytes current;
    /** The bytes {@link #current} replaced; their array is reused once no scrape sends them. Format lock. */
    private EncodedBytes spare;

    EncodedBytes acquire() {
        for (EncodedBytes b = current; b != null; b = current) {
            if (b.tryAcquire()) {
                return b;
            }
        }
        return null;
    }

    /** Whether this round must encode {@code gen} for this kind; frees the bytes of a kind not asked for. */
    boolean due(Object gen, long now, long interval, long encode) {
        return switch (rhythm.atRound(now, interval, encode)) {
            case ENCODE -> {
                if (!rhythm.known() && current != null && current.capacity() > SPARE_LIMIT) {
                    // One scrape seen (a curl, a size check): its 7-8 MB at 1,000 namespaces are not kept and encoded
                    // every round for a scraper that may never come back. Its next scrape is encoded while it waits,
                    // as the first was.
                    current = null;
                    spare = null;
                    yield false;
                }
                yield current == null || current.generation() != gen;
            }
            case KEEP -> false;
            case GONE -> {
                if (current != null && current.capacity() > SPARE_LIMIT) {
                    current = null; // 7 MB of text for a scraper that left: not worth the heap
                }
                spare = null;
                yield false;
            }
            case DROP -> {
                current = null;
                spare = null;
                yield false;
            }
        };
    }

    /** An empty body to encode into: the spare's array when no scrape sends it any more, else a new one. */
    EncodedBytes blank() {
        EncodedBytes s = spare;
        spare = null;
        if (s != null && s.retire()) {
            return s.reuse();
        }
        EncodedBytes c = current;
        return new EncodedBytes(c == null ? 0 : c.capacityHint());
    }

    void publish(EncodedBytes b) {
        EncodedBytes replaced = current;
        // A large body (plain text at 10,000 series: 7 MB) is not kept for reuse: with scrapers reading without pause
        // it is still being sent when the next encode starts, so it would mostly be 7 MB more live heap.
        spare = replaced != null && replaced.capacity() <= SPARE_LIMIT ? replaced : null;
        current = b;
    }
}
