package io.listenq.exporter.sample;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-collector outcome accumulated over the namespaces of one round. A collector that never ran (not in any
 * namespace, not in an earlier round whose result is reused) has no outcome: it is left out of
 * {@link #results()} rather than reported as a success. Sampler thread only.
 */
final class RoundStats {
    /** Per collector: elapsed nanoseconds, and success so far (null: no outcome yet). */
    private static final class Outcome {
        long nanos;
        Boolean success;
    }

    private final Map<String, Outcome> outcomes = new TreeMap<>();
    private final Set<String> ran = new HashSet<>();

    void record(String collector, long elapsedNanos, boolean ok) {
        Outcome o = outcomes.computeIfAbsent(collector, k -> new Outcome());
        o.nanos += elapsedNanos;
        o.success = o.success == null ? ok : o.success && ok;
        ran.add(collector);
    }

    /**
     * A collector whose last result was reused this round (nothing could have changed): its last outcome stands,
     * and a collector that never ran stays without one.
     */
    void reused(String collector, Optional<Boolean> lastOk) {
        Outcome o = outcomes.computeIfAbsent(collector, k -> new Outcome());
        if (lastOk.isPresent()) { // not ifPresent: its lambda would capture o, and allocate every namespace
            boolean ok = lastOk.get();
            o.success = o.success == null ? ok : o.success && ok;
        }
    }

    /** Notes an activity that is not a collector (setns, opening a namespace) as having run successfully. */
    void markRan(String activity) {
        ran.add(activity);
    }

    /** Collectors and activities that really ran in this round. */
    Set<String> ran() {
        return ran;
    }

    /** Collectors with an outcome, by name. */
    List<CollectorResult> results() {
        return outcomes.entrySet().stream()
                .filter(e -> e.getValue().success != null)
                .map(e -> new CollectorResult(e.getKey(), e.getValue().success, e.getValue().nanos / 1e9))
                .toList();
    }
}
