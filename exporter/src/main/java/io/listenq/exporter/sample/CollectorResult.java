package io.listenq.exporter.sample;

import java.util.Objects;

/**
 * One collector's outcome in one round, summed over namespaces.
 *
 * @param name            collector name (label {@code collector})
 * @param success         false when it failed in any namespace for a reason other than the namespace vanishing
 * @param durationSeconds wall time spent in it during the round
 */
public record CollectorResult(String name, boolean success, double durationSeconds) {
    public CollectorResult {
        Objects.requireNonNull(name, "name");
    }
}
