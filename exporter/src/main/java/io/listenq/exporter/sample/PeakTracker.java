package io.listenq.exporter.sample;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Remembers, per listener series, what happens between scrapes: the largest accept queue sampled within the
 * peak window (a sliding-window maximum over a monotonic deque, O(1) amortised per sample) and the sampled
 * time spent full, and the drop rate over the last minute. Only the sampler thread calls it. A series absent from a round is forgotten, so a listener
 * that comes back starts afresh (its counter series restarts, as Prometheus expects of a new series).
 *
 * <p>Series are kept per namespace ({@link Group}). A namespace whose listeners all are <em>settled</em> (queue
 * empty and never non-empty within the window, not full, drop count flat over the rate window) and come back as
 * the very same sample objects gives the same output whatever the clock says, so the sampler carries it over
 * without tracking its listeners at all ({@link Group#carried}): an idle namespace costs nothing here. When it
 * moves again, its histories resume as if every carried round had been tracked (see {@code History.resume}).
 */
final class PeakTracker {
    /** Window of {@link ListenerSample#dropRate()}: "drops per second over the last minute". */
    static final long RATE_WINDOW_MILLIS = 60_000;
    /** Drop counts are remembered every 5 s at most: 13 entries per listener, whatever the interval. */
    static final long RATE_MARK_MILLIS = 5_000;

    private final long windowMillis;
    private final long defaultElapsedMillis;
    private final Map<String, Group> groups = new HashMap<>();
    private long round;

    /**
     * @param windowMillis         peak window
     * @param defaultElapsedMillis time credited to a full sample of a series seen for the first time (the interval)
     */
    PeakTracker(long windowMillis, long defaultElapsedMillis) {
        this.windowMillis = windowMillis;
        this.defaultElapsedMillis = defaultElapsedMillis;
    }

    /** Starts a round. */
    void beginRound() {
        round++;
    }

    /**
     * The namespace's group in this round, created on first sight; {@code nowMillis} (monotonic) is when the round
     * sampled it. Calling it marks the namespace as present: a group not asked for in a round is forgotten at its end.
     */
    Group group(String netns, long nowMillis) {
        Group g = groups.get(netns);
        if (g == null) {
            g = new Group();
            groups.put(netns, g);
        }
        if (g.round != round) {
            g.round = round;
            g.previousMillis = g.lastMillis;
            g.lastMillis = nowMillis;
            g.tracked = false;
            g.unsettled = 0;
        }
        return g;
    }

    /** Adds one sample of the current round and returns it with its history. */
    ListenerSample track(long nowMillis, ListenerSample s) {
        return track(group(s.key().netns(), nowMillis), nowMillis, s);
    }

    /** Adds one sample of the current round, of a namespace whose {@link #group} is {@code g}. */
    ListenerSample track(Group g, long nowMillis, ListenerSample s) {
        History h = g.histories.get(s.key());
        if (h == null) {
            h = new History();
            g.histories.put(s.key(), h);
        } else if (h.lastMillis != Long.MIN_VALUE && h.lastMillis < g.previousMillis) {
            h.resume(g.previousMillis, nowMillis); // carried over since its last sample
        }
        g.tracked = true;
        h.round = round;
        ListenerSample out = h.add(nowMillis, s);
        if (!h.settled()) {
            g.unsettled++;
        }
        return out;
    }

    /** Ends the round: namespaces not asked for, and series of tracked namespaces not tracked in it, are forgotten. */
    void endRound() {
        groups.values().removeIf(g -> g.round != round);
        for (Group g : groups.values()) {
            if (g.tracked) {
                g.histories.values().removeIf(h -> h.round != round);
            }
        }
    }

    /**
     * Whether the last round carried {@code ns} over (the same object, settled, not tracked): nothing this tracker
     * remembers of its series has changed since that round began, so neither has what {@link #troubled} and
     * {@link #tracks} say of them. Call before {@link #beginRound}.
     */
    boolean carriedLastRound(NamespaceSample ns) {
        Group g = groups.get(ns.netns());
        return g != null && g.carriedRound == round && g.input == ns;
    }

    /** Whether the series was tracked (exported) in the last round. */
    boolean tracks(ListenerKey key) {
        Group g = groups.get(key.netns());
        return g != null && g.histories.containsKey(key);
    }

    /**
     * Whether a listener is in trouble: a non-empty or full accept queue now or, for a tracked series, a queue seen
     * non-empty within the window, time spent full, or drops since its last sample. Call before {@link #track}.
     */
    boolean troubled(ListenerSample s) {
        if (s.acceptQueue() > 0 || s.full()) {
            return true;
        }
        Group g = groups.get(s.key().netns());
        History h = g == null ? null : g.histories.get(s.key());
        return h != null
                && h.lastIn != null
                && (h.window.firstValue() > 0
                        || h.fullMillis > 0
                        || s.drops().orElse(0) > h.lastIn.drops().orElse(0));
    }

    int tracked() {
        int n = 0;
        for (Group g : groups.values()) {
            n += g.histories.size();
        }
        return n;
    }

    /**
     * One namespace's series, and what the sampler handed in and got out for it the last time it was tracked (so
     * that an unchanged, settled namespace can be carried over as it was).
     */
    static final class Group {
        private final Map<ListenerKey, History> histories = new HashMap<>();
        private long round;
        private long lastMillis = Long.MIN_VALUE;
        private long previousMillis = Long.MIN_VALUE;
        private boolean tracked;
        private int unsettled;

        /** The sampler's input when the namespace was last tracked. */
        NamespaceSample input;
        /** The listeners it kept of that input (under --max-listeners, a subset). */
        List<ListenerSample> kept;
        /** What it made of them. */
        NamespaceSample output;
        /** Every series settled after the last tracking. */
        boolean settled;
        /** The last round that carried it over ({@link #carried}). */
        private long carriedRound = -1;

        /**
         * Whether {@code in} (with {@code keep} of its listeners) can be carried over without tracking: the same
         * objects as the last time, and every series settled then (so the same output, at any later time).
         */
        boolean carried(NamespaceSample in, List<ListenerSample> keep) {
            boolean carried = settled && in == input && keep == kept && output != null;
            if (carried) {
                carriedRound = round;
            }
            return carried;
        }

        /** Records one tracking of the namespace, in this round. */
        void tracked(NamespaceSample in, List<ListenerSample> keep, NamespaceSample out) {
            input = in;
            kept = keep;
            output = out;
            settled = unsettled == 0;
        }
    }

    private final class History {
        /** (time, length) pairs with strictly decreasing lengths: the front is the window's maximum. */
        private final PairRing window = new PairRing();
        /** (time, drops) marks at least RATE_MARK_MILLIS apart; the first is the newest at or before the window. */
        private final PairRing dropMarks = new PairRing();

        private long lastMillis = Long.MIN_VALUE;
        /** Whole milliseconds: a double sum of 0.998 s steps would print as 2.9939999999999998. */
        private long fullMillis;

        private long round;
        private ListenerSample lastIn;
        /** What {@link #add} made of {@link #lastIn}: that object itself when the history changed none of it. */
        private ListenerSample lastOut;

        /**
         * Queue empty (and nothing else within the window), not full, drop count flat over the rate window: fed the
         * same sample again, any later add returns {@link #lastOut} unchanged.
         */
        boolean settled() {
            if (lastIn.acceptQueue() != 0 || lastIn.full() || window.firstValue() != 0) {
                return false;
            }
            if (lastIn.drops().isEmpty()) {
                return true;
            }
            long drops = lastIn.drops().getAsLong();
            for (int i = 0; i < dropMarks.size(); i++) {
                if (dropMarks.value(i) != drops) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Brings a settled history that was carried over (not fed) since its last add up to what feeding it the same
         * sample in every carried round would have left: the last sample at {@code previousMillis}, and drop marks
         * that still say "flat" but no older than the rate window. The peak window needs nothing: it holds zeros, and
         * the next add replaces them.
         */
        void resume(long previousMillis, long now) {
            lastMillis = previousMillis;
            long since = Math.min(now - RATE_WINDOW_MILLIS, previousMillis);
            if (!dropMarks.isEmpty() && dropMarks.firstTime() < since) {
                long drops = dropMarks.firstValue(); // settled: every mark holds the same count
                dropMarks.clear();
                dropMarks.addLast(since, drops);
            }
        }

        ListenerSample add(long now, ListenerSample s) {
            long length = s.acceptQueue();
            while (!window.isEmpty() && window.lastValue() <= length) {
                window.removeLast();
            }
            window.addLast(now, length);
            while (window.firstTime() <= now - windowMillis) {
                window.removeFirst();
            }
            if (s.full()) {
                long elapsed = lastMillis == Long.MIN_VALUE ? defaultElapsedMillis : now - lastMillis;
                fullMillis += elapsed;
            }
            lastMillis = now;
            long peak = window.firstValue();
            OptionalDouble rate = dropRate(now, s.drops());
            if (s == lastIn && !s.full() && peak == lastOut.peak() && rate.equals(lastOut.dropRate())) {
                return lastOut;
            }
            lastIn = s;
            double fullSeconds = fullMillis / 1000.0;
            // most listeners never queue nor drop: the sample is then its own output, not a second, equal object
            boolean asIs = s.peak() == peak
                    && Double.compare(s.fullSeconds(), fullSeconds) == 0
                    && s.dropRate().equals(rate);
            lastOut = asIs ? s : s.withHistory(peak, fullSeconds, rate);
            return lastOut;
        }

        /** Drops per second since the oldest mark within a minute (0 on first sight; empty without a drop count). */
        private OptionalDouble dropRate(long now, OptionalLong count) {
            if (count.isEmpty()) {
                return OptionalDouble.empty();
            }
            long drops = count.getAsLong();
            if (dropMarks.isEmpty() || now - dropMarks.lastTime() >= RATE_MARK_MILLIS) {
                dropMarks.addLast(now, drops);
            }
            // the first mark goes once the second is at or before the window's start
            while (dropMarks.size() >= 2 && dropMarks.time(1) <= now - RATE_WINDOW_MILLIS) {
                dropMarks.removeFirst();
            }
            long firstTime = dropMarks.firstTime();
            // a member of an SO_REUSEPORT group closing lowers the sum: no negative rate
            return ListenerSample.rate(
                    now <= firstTime ? 0 : Math.max(0, drops - dropMarks.firstValue()) * 1000.0 / (now - firstTime));
        }
    }
}
