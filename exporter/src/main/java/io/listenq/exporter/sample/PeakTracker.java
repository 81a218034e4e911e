package io.listenq.exporter.sample;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers, per listener series, what happens between scrapes: the largest accept queue sampled within the
 * peak window (a sliding-window maximum over a monotonic deque, O(1) amortised per sample) and the sampled
 * time spent full. Only the sampler thread calls it. A series absent from a round is forgotten, so a listener
 * that comes back starts afresh (its counter series restarts, as Prometheus expects of a new series).
 *
 * <p>It runs for every listener every round, so it avoids garbage where it can: a series whose sample and
 * history did not change gets the very same output object back, and deque entries are recycled.
 */
final class PeakTracker {
    private final long windowMillis;
    private final long defaultElapsedMillis;
    private final Map<ListenerKey, History> histories = new HashMap<>();
    private long round;

    /**
     * @param windowMillis         peak window
     * @param defaultElapsedMillis time credited to a full sample of a series seen for the first time (the interval)
     */
    PeakTracker(long windowMillis, long defaultElapsedMillis) {
        this.windowMillis = windowMillis;
        this.defaultElapsedMillis = defaultElapsedMillis;
    }

    /** Starts a round taken at {@code nowMillis} (monotonic). */
    void beginRound() {
        round++;
    }

    /** Adds one sample of the current round and returns it with its history. */
    ListenerSample track(long nowMillis, ListenerSample s) {
        History h = histories.get(s.key());
        if (h == null) {
            h = new History();
            histories.put(s.key(), h);
        }
        h.round = round;
        return h.add(nowMillis, s);
    }

    /** Ends the round: series not tracked in it are forgotten. */
    void endRound() {
        histories.values().removeIf(h -> h.round != round);
    }

    /** Whether the series was tracked (exported) in the last round. */
    boolean tracks(ListenerKey key) {
        return histories.containsKey(key);
    }

    /**
     * Whether a listener is in trouble: a non-empty or full accept queue now or, for a tracked series, a queue seen
     * non-empty within the window, time spent full, or drops since its last sample. Call before {@link #track}.
     */
    boolean troubled(ListenerSample s) {
        if (s.acceptQueue() > 0 || s.full()) {
            return true;
        }
        History h = histories.get(s.key());
        return h != null && h.lastIn != null && (h.window.peekFirst()[1] > 0 || h.fullSeconds > 0
                || s.drops() > h.lastIn.drops());
    }

    int tracked() {
        return histories.size();
    }

    private final class History {
        /** (time, length) pairs with strictly decreasing lengths: the front is the window's maximum. */
        private final ArrayDeque<long[]> window = new ArrayDeque<>(4);
        private long lastMillis = Long.MIN_VALUE;
        private double fullSeconds;
        private long round;
        private ListenerSample lastIn;
        private ListenerSample lastOut;

        ListenerSample add(long now, ListenerSample s) {
            long length = s.acceptQueue();
            long[] spare = null;
            while (!window.isEmpty() && window.peekLast()[1] <= length) {
                spare = window.pollLast();
            }
            if (spare == null) {
                spare = new long[2];
            }
            spare[0] = now;
            spare[1] = length;
            window.addLast(spare);
            while (window.peekFirst()[0] <= now - windowMillis) {
                window.pollFirst();
            }
            if (s.full()) {
                long elapsed = lastMillis == Long.MIN_VALUE ? defaultElapsedMillis : now - lastMillis;
                fullSeconds += elapsed / 1000.0;
            }
            lastMillis = now;
            long peak = window.peekFirst()[1];
            if (s == lastIn && !s.full() && peak == lastOut.peak()) {
                return lastOut;
            }
            lastIn = s;
            lastOut = s.withHistory(peak, fullSeconds);
            return lastOut;
        }
    }
}
