package io.listenq.exporter.sample;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * One log line per cause, not per round: a problem is logged when it first appears and once more when it is
 * gone. A cause is a collector (or activity) plus the kind of failure; the first message seen stands for it.
 * Sampler thread only.
 */
final class ProblemLog {
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final Map<String, String> active = new HashMap<>();
    private final Set<String> seenThisRound = new HashSet<>();

    ProblemLog(Logger log) {
        this(log::warn, log::info);
    }

    /** Where the lines go: a logger in production, lists in tests. */
    ProblemLog(Consumer<String> warn, Consumer<String> info) {
        this.warn = warn;
        this.info = info;
    }

    void report(String activity, Throwable cause, String where) {
        String key = activity + "\u0000" + cause.getClass().getName();
        seenThisRound.add(key);
        if (!active.containsKey(key)) {
            String message = activity + " failed in " + where + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
            active.put(key, message);
            warn.accept(message + " (logged once until it recovers)");
        }
    }

    /**
     * Ends a round: causes that did not recur although their activity ran are logged as recovered. An activity
     * that did not run this round (a reused result, a rate-limited dump) proves nothing either way.
     */
    void endRound(Set<String> ran) {
        if (active.isEmpty()) {
            seenThisRound.clear();
            return; // nothing to recover: no lambda, no iterator
        }
        active.entrySet().removeIf(e -> {
            String activity = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
            if (seenThisRound.contains(e.getKey()) || !ran.contains(activity)) {
                return false;
            }
            info.accept("recovered: " + e.getValue());
            return true;
        });
        seenThisRound.clear();
    }
}
