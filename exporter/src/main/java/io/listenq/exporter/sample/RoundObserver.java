package io.listenq.exporter.sample;

import java.util.Set;

/**
 * Told about every completed sampling round, on the sampler thread, right after its snapshot is swapped in: the
 * exporter's own instrumentation (rounds and collectors over time) hangs here, outside the sampling code.
 * Implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface RoundObserver {
    RoundObserver NONE = (snapshot, ran) -> {};

    /**
     * @param snapshot the round's snapshot: its duration and each collector's summed time and success
     * @param ran      the collectors that really ran in the round (the others reused their last result)
     */
    void roundEnded(Snapshot snapshot, Set<String> ran);
}
