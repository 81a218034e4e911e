package io.listenq.exporter.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers, per listener series, what happens between scrapes: the largest accept queue sampled within the
 * peak window (a sliding-window maximum over a monotonic deque, O(1) amortised per sample) and the sampled
 * time spent full. Only the sampler thread calls it. A series absent from a round is forgotten, so a listener
 * that comes back starts afresh (its counter series restarts, as Prometheus expects of a new series).
 */
final class PeakTracker {
    private final long windowMillis;
    private final long defaultElapsedMillis;
    private final Map<ListenerKey, History> histories = new HashMap<>();

    /**
     * @param windowMillis         peak window
     * @param defaultElapsedMillis time credited to a full sample of a series seen for the first time (the interval)
     */
    PeakTracker(long windowMillis, long defaultElapsedMillis) {
        this.windowMillis = windowMillis;
        this.defaultElapsedMillis = defaultElapsedMillis;
    }

    /** Adds this round's samples (taken at {@code nowMillis}, monotonic) and returns them with their history. */
    List<ListenerSample> apply(long nowMillis, List<ListenerSample> round) {
        List<ListenerSample> out = new ArrayList<>(round.size());
        Set<ListenerKey> seen = new HashSet<>(round.size() * 2);
        for (ListenerSample s : round) {
            seen.add(s.key());
            History h = histories.computeIfAbsent(s.key(), k -> new History());
            out.add(h.add(nowMillis, s));
        }
        if (histories.size() > seen.size()) {
            histories.keySet().retainAll(seen);
        }
        return out;
    }

    int tracked() {
        return histories.size();
    }

    private final class History {
        /** (time, length) pairs with strictly decreasing lengths: the front is the window's maximum. */
        private final ArrayDeque<long[]> window = new ArrayDeque<>(4);
        private long lastMillis = Long.MIN_VALUE;
        private double fullSeconds;

        ListenerSample add(long now, ListenerSample s) {
            long length = s.acceptQueue();
            while (!window.isEmpty() && window.peekLast()[1] <= length) {
                window.pollLast();
            }
            window.addLast(new long[] {now, length});
            while (window.peekFirst()[0] <= now - windowMillis) {
                window.pollFirst();
            }
            if (s.full()) {
                long elapsed = lastMillis == Long.MIN_VALUE ? defaultElapsedMillis : now - lastMillis;
                fullSeconds += elapsed / 1000.0;
            }
            lastMillis = now;
            return s.withHistory(window.peekFirst()[1], fullSeconds);
        }
    }
}
