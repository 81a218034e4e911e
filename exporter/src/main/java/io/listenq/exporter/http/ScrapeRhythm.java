package io.listenq.exporter.http;

/**
 * When the next scrape of one kind (format and compression) will come, learnt from the last ones, so that the sampler
 * encodes ahead only the rounds a scrape will read. Encoding every round would cost at 1,000 namespaces x 10
 * listeners about 0.2 s of CPU (C1) per round, every second at the default interval, for a scraper that comes every
 * 15 s; encoding the rounds just before each expected scrape costs that about twice per scrape.
 *
 * <p>The rhythm is the shortest of the last few gaps between two scrapes of this kind (several scrapers, such as two
 * Prometheus replicas, make it shorter and cost more encodes, never staler bytes). A round encodes when the next scrape
 * may come before the bytes of the round after it are ready (with half an interval to spare: the shortest gap already
 * allows for the jitter of the scrapes), and until it is late by more than a gap. A scrape that came sooner (or later) than that got older bytes: it is remembered, and the next round encodes. Times are {@code System.nanoTime()}; the clock
 * is passed in (tests).
 */
final class ScrapeRhythm {
    /** What a round does for this kind of scrape. */
    enum Plan {
        /** Encode this round's bytes. */
        ENCODE,
        /** Keep serving the last bytes; no scrape is due before the next round. */
        KEEP,
        /** The scraper is late by more than its gap (stopped, or slowed): keep small bytes, free large ones. */
        GONE,
        /** Nobody asked for long: free the bytes (a new request encodes them on demand). */
        DROP
    }

    /**
     * A kind of scrape not seen for this long (and three of its gaps) is forgotten and its bytes freed (7 MB of plain
     * text at 10,000 series); seen once more, it is encoded on demand and its rhythm is known from then on.
     */
    static final long FORGET_AFTER_NANOS = 30_000_000_000L;

    private static final int GAPS = 4;
    private final long[] gaps = new long[GAPS];
    private int gapCount;
    private int nextGap;
    private long last;
    private boolean seen;
    private boolean missed;

    /** A scrape of this kind at {@code now}; {@code stale} when it got bytes of an older round than the latest. */
    synchronized void requested(long now, boolean stale) {
        if (seen) {
            gaps[nextGap] = now - last;
            nextGap = (nextGap + 1) % GAPS;
            gapCount = Math.min(gapCount + 1, GAPS);
        }
        seen = true;
        last = now;
        missed |= stale;
    }

    /**
     * @param now      when the round's snapshot was published
     * @param interval the time between rounds (0 when not known yet)
     * @param encode   how long the last encode took: a scrape that comes before the encode ends gets older bytes
     */
    synchronized Plan atRound(long now, long interval, long encode) {
        if (!seen) {
            return Plan.DROP;
        }
        long gap = shortestGap();
        long elapsed = now - last;
        if (elapsed > Math.max(FORGET_AFTER_NANOS, 3 * gap)) {
            return Plan.DROP;
        }
        if (missed || gapCount == 0) {
            missed = false; // with one scrape seen there is no rhythm yet: every round, until the second comes
            return Plan.ENCODE;
        }
        if (elapsed < gap - interval - interval / 2 - encode) {
            return Plan.KEEP; // not due before the next round's bytes are ready
        }
        // Overdue by more than a gap: the scraper stopped (a load test, a burst of curls) or slowed down. Its next
        // scrape, if any, gets the last bytes (or, if they were large and freed, waits for an encode) and is noted as
        // missed; rounds meanwhile cost nothing.
        return elapsed <= 2 * gap + interval ? Plan.ENCODE : Plan.GONE;
    }

    /** Whether two scrapes of this kind were seen, so that when the next one comes can be told. */
    synchronized boolean known() {
        return gapCount > 0;
    }

    /** The shortest of the last gaps between two scrapes of this kind; 0 before the second scrape. */
    synchronized long shortestGap() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < gapCount; i++) {
            min = Math.min(min, gaps[i]);
        }
        return gapCount == 0 ? 0 : min;
    }
}
