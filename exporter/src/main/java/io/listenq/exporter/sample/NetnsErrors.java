package io.listenq.exporter.sample;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The cumulative {@code listenq_netns_errors_total} counts, and one log line per reason with what to do about it.
 * Sampler thread only.
 */
final class NetnsErrors {
    private final Map<String, Long> counts = new TreeMap<>();
    private final Set<NetnsError> warned = EnumSet.noneOf(NetnsError.class);
    private final Set<NetnsError> explained = EnumSet.noneOf(NetnsError.class);
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    NetnsErrors(Logger log) {
        this(log::warn, log::debug);
    }

    /** Where the lines go: a logger in production, lists in tests. */
    NetnsErrors(Consumer<String> warn, Consumer<String> debug) {
        this.warn = warn;
        this.debug = debug;
    }

    /**
     * Counts {@code n} namespaces skipped for {@code reason}, and logs the reason the first time it occurs: at warn,
     * or at debug when it is {@code expected} (churn, and the processes every scan meets that the exporter may not
     * inspect, such as an init holding capabilities the exporter lacks).
     */
    void count(NetnsError reason, long n, String detail, boolean expected) {
        counts.merge(reason.label(), n, Long::sum);
        boolean quiet = expected || reason == NetnsError.VANISHED;
        if ((quiet ? explained : warned).add(reason)) {
            String line = "netns " + reason.label() + ": " + detail + "; what to do: " + reason.remedy()
                    + " (counted in listenq_netns_errors_total{reason=\"" + reason.label() + "\"}, logged once)";
            (quiet ? debug : warn).accept(line);
        }
    }

    void count(NetnsError reason, String detail) {
        count(reason, 1, detail, false);
    }

    Map<String, Long> counts() {
        return counts;
    }
}
