package io.listenq.exporter.sample;

import java.util.Map;
import java.util.TreeMap;

/**
 * Per-collector outcome accumulated over the namespaces of one round. Sampler thread only.
 */
final class RoundStats {
    private final Map<String, long[]> nanos = new TreeMap<>();
    private final Map<String, Boolean> success = new TreeMap<>();
    private final java.util.Set<String> ran = new java.util.HashSet<>();

    /** Registers a collector so that it is reported even in a round where it did not run. */
    void declare(String collector) {
        nanos.computeIfAbsent(collector, k -> new long[1]);
        success.putIfAbsent(collector, true);
    }

    void record(String collector, long elapsedNanos, boolean ok) {
        nanos.computeIfAbsent(collector, k -> new long[1])[0] += elapsedNanos;
        success.merge(collector, ok, Boolean::logicalAnd);
        ran.add(collector);
    }

    /** A collector whose last result was reused this round (nothing could have changed): its outcome stands. */
    void reused(String collector, boolean lastOk) {
        nanos.computeIfAbsent(collector, k -> new long[1]);
        success.merge(collector, lastOk, Boolean::logicalAnd);
    }

    /** Notes an activity that is not a collector (setns, opening a namespace) as having run successfully. */
    void markRan(String activity) {
        ran.add(activity);
    }

    /** Collectors and activities that really ran in this round. */
    java.util.Set<String> ran() {
        return ran;
    }

    java.util.List<CollectorResult> results() {
        return nanos.entrySet().stream()
                .map(e -> new CollectorResult(e.getKey(), success.get(e.getKey()), e.getValue()[0] / 1e9))
                .toList();
    }
}
