package io.listenq.exporter.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Per-collector outcome accumulated over the namespaces of one round. A collector that never ran (not in any
 * namespace, not in an earlier round whose result is reused) has no outcome: it is left out of
 * {@link #results()} rather than reported as a success. Sampler thread only.
 *
 * <p>One instance serves round after round ({@link #reset()}): the names are the few collector and activity
 * labels, kept in arrays and found by identity first (they are constants), so that an idle round records its
 * outcomes without allocating, and {@link #ran()} hands back a set it made before when the same names ran.
 */
final class RoundStats {
    private static final byte NONE = 0;
    private static final byte OK = 1;
    private static final byte FAILED = 2;

    private String[] names = new String[16];
    private long[] nanos = new long[16];
    /** NONE (no outcome yet), OK or FAILED. */
    private byte[] success = new byte[16];

    private boolean[] ran = new boolean[16];
    private int count;

    /**
     * The sets {@link #ran()} made, by the bits of the slots that ran (rounds alternate between a few: a namespace's
     * dump or a discovery in some rounds and not in others); forgotten when a new name shifts the slots.
     */
    private final long[] ranMasks = new long[8];

    private final Object[] ranSets = new Object[8];
    private int ranCached;
    private int ranNext;

    /** Starts a new round: no outcome, nothing ran. */
    void reset() {
        Arrays.fill(nanos, 0, count, 0);
        Arrays.fill(success, 0, count, NONE);
        Arrays.fill(ran, 0, count, false);
    }

    void record(String collector, long elapsedNanos, boolean ok) {
        int i = index(collector);
        nanos[i] += elapsedNanos;
        success[i] = success[i] == NONE ? (ok ? OK : FAILED) : (success[i] == OK && ok ? OK : FAILED);
        ran[i] = true;
    }

    /**
     * A collector whose last result was reused this round (nothing could have changed): its last outcome stands,
     * and a collector that never ran stays without one.
     */
    void reused(String collector, Optional<Boolean> lastOk) {
        int i = index(collector);
        if (lastOk.isPresent()) { // not ifPresent: its lambda would capture i, and allocate every namespace
            boolean ok = lastOk.get();
            success[i] = success[i] == NONE ? (ok ? OK : FAILED) : (success[i] == OK && ok ? OK : FAILED);
        }
    }

    /** Notes an activity that is not a collector (setns, opening a namespace) as having run successfully. */
    void markRan(String activity) {
        ran[index(activity)] = true;
    }

    /** Collectors and activities that really ran in this round: the last set itself when the same ones did. */
    @SuppressWarnings("unchecked") // ranSets holds only what ranSet() made
    Set<String> ran() {
        if (count > Long.SIZE) {
            return ranSet();
        }
        long mask = 0;
        for (int i = 0; i < count; i++) {
            if (ran[i]) {
                mask |= 1L << i;
            }
        }
        for (int j = 0; j < ranCached; j++) {
            if (ranMasks[j] == mask) {
                return (Set<String>) ranSets[j];
            }
        }
        Set<String> made = ranSet();
        ranMasks[ranNext] = mask;
        ranSets[ranNext] = made;
        ranNext = (ranNext + 1) % ranMasks.length;
        ranCached = Math.max(ranCached, ranNext == 0 ? ranMasks.length : ranNext);
        return made;
    }

    private Set<String> ranSet() {
        List<String> now = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (ran[i]) {
                now.add(names[i]);
            }
        }
        return Set.copyOf(now);
    }

    /** Collectors with an outcome, by name. */
    List<CollectorResult> results() {
        List<CollectorResult> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (success[i] != NONE) {
                out.add(new CollectorResult(names[i], success[i] == OK, nanos[i] / 1e9));
            }
        }
        return out;
    }

    /** The slot of {@code name}, added in name order when new (so results come sorted by name). */
    private int index(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        int at = 0;
        while (at < count) {
            int c = names[at].compareTo(name);
            if (c == 0) {
                return at; // an equal name that is another String object
            }
            if (c > 0) {
                break;
            }
            at++;
        }
        if (count == names.length) {
            int n = count * 2;
            names = Arrays.copyOf(names, n);
            nanos = Arrays.copyOf(nanos, n);
            success = Arrays.copyOf(success, n);
            ran = Arrays.copyOf(ran, n);
        }
        int tail = count - at;
        System.arraycopy(names, at, names, at + 1, tail);
        System.arraycopy(nanos, at, nanos, at + 1, tail);
        System.arraycopy(success, at, success, at + 1, tail);
        System.arraycopy(ran, at, ran, at + 1, tail);
        names[at] = name;
        nanos[at] = 0;
        success[at] = NONE;
        ran[at] = false;
        count++;
        ranCached = 0; // the slots moved: the masks name other slots now
        ranNext = 0;
        return at;
    }
}
