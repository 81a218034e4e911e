package io.listenq.exporter.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per client address, a token bucket of failed password checks: {@value #BURST} failures at once, then one every
 * {@value #SECONDS_PER_FAILURE} seconds. A client over it is refused (429) before bcrypt runs. A scraper with a
 * stale password fails once per scrape interval and is never limited; a guesser gets a few tries a minute. The
 * table is bounded ({@value #MAX_CLIENTS} addresses, least recently failed forgotten first), so many addresses cost
 * bounded memory (and get {@link BcryptPool}'s global bound instead). Note: an IPv6 client owning a whole /64 can
 * rotate addresses; the pool's bound still holds for it.
 */
final class FailureLimiter {
    static final int BURST = 10;
    static final long SECONDS_PER_FAILURE = 5;
    static final int MAX_CLIENTS = 10_000;

    private final int burst;
    private final long nanosPerToken;
    private final Map<String, long[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    FailureLimiter() {
        this(BURST, SECONDS_PER_FAILURE * 1_000_000_000L);
    }

    FailureLimiter(int burst, long nanosPerToken) {
        this.burst = burst;
        this.nanosPerToken = nanosPerToken;
    }

    /** Whether {@code client} may have its password checked now. */
    boolean allow(String client) {
        synchronized (buckets) {
            long[] b = buckets.get(client);
            return b == null || tokens(b, System.nanoTime()) >= 1;
        }
    }

    /** Takes a token for a failed check. */
    void failed(String client) {
        long now = System.nanoTime();
        synchronized (buckets) {
            long[] b = buckets.computeIfAbsent(client, k -> new long[] {burst, now});
            b[0] = Math.max(0, tokens(b, now) - 1);
            b[1] = now;
        }
    }

    /** Tokens in a bucket {tokens, last update} as of {@code now}, refilled since the last update. */
    private long tokens(long[] b, long now) {
        long refill = (now - b[1]) / nanosPerToken;
        return Math.min(burst, b[0] + refill);
    }
}
