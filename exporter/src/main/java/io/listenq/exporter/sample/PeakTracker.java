package io.listenq.exporter.sample;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Remembers, per listener series, what happens between scrapes: the largest accept queue sampled within the
 * peak window (a sliding-window maximum over a monotonic deque, O(1) amortised per sample) and the sampled
 * time spent full, and the drop rate over the last minute. Only the sampler thread calls it. A series absent from a round is forgotten, so a listener
 * that comes back starts afresh (its counter series restarts, as Prometheus expects of a new series).
 *
 * <p>It runs for every listener every round, so it avoids garbage where it can: a series whose sample and
 * history did not change gets the very same output object back, and deque entries are recycled.
 */
final class PeakTracker {
    /** Window of {@link ListenerSample#dropRate()}: "drops per second over the last minute". */
    static final long RATE_WINDOW_MILLIS = 60_000;
    /** Drop counts are remembered every 5 s at most: 13 entries per listener, whatever the interval. */
    static final long RATE_MARK_MILLIS = 5_000;

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
        return h != null
                && h.lastIn != null
                && (h.window.peekFirst()[1] > 0
                        || h.fullMillis > 0
                        || s.drops().orElse(0) > h.lastIn.drops().orElse(0));
    }

    int tracked() {
        return histories.size();
    }

    private final class History {
        /** (time, length) pairs with strictly decreasing lengths: the front is the window's maximum. */
        private final ArrayDeque<long[]> window = new ArrayDeque<>(4);
        /** (time, drops) marks at least RATE_MARK_MILLIS apart; the first is the newest at or before the window. */
        private final ArrayDeque<long[]> dropMarks = new ArrayDeque<>(4);

        private long lastMillis = Long.MIN_VALUE;
        /** Whole milliseconds: a double sum of 0.998 s steps would print as 2.9939999999999998. */
        private long fullMillis;

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
                fullMillis += elapsed;
            }
            lastMillis = now;
            long peak = window.peekFirst()[1];
            OptionalDouble rate = dropRate(now, s.drops());
            if (s == lastIn && !s.full() && peak == lastOut.peak() && rate.equals(lastOut.dropRate())) {
                return lastOut;
            }
            lastIn = s;
            lastOut = s.withHistory(peak, fullMillis / 1000.0, rate);
            return lastOut;
        }

        /** Drops per second since the oldest mark within a minute (0 on first sight; empty without a drop count). */
        private OptionalDouble dropRate(long now, OptionalLong count) {
            if (count.isEmpty()) {
                return OptionalDouble.empty();
            }
            long drops = count.getAsLong();
            if (dropMarks.isEmpty() || now - dropMarks.peekLast()[0] >= RATE_MARK_MILLIS) {
                dropMarks.addLast(new long[] {now, drops});
            }
            while (dropMarks.size() >= 2) {
                long[] oldest = dropMarks.pollFirst();
                if (dropMarks.peekFirst()[0] > now - RATE_WINDOW_MILLIS) {
                    dropMarks.addFirst(oldest);
                    break;
                }
            }
            long[] first = dropMarks.peekFirst();
            // a member of an SO_REUSEPORT group closing lowers the sum: no negative rate
            return OptionalDouble.of(now <= first[0] ? 0 : Math.max(0, drops - first[1]) * 1000.0 / (now - first[0]));
        }
    }
}
