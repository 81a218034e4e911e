package io.listenq.exporter.deploy;

import io.listenq.exporter.metrics.Metric;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The exporter's metric names as exposed (counters with {@code _total}), from the metric catalog
 * ({@link Metric}). Rules and dashboards may only use these: promtool parses a misspelt metric name
 * without complaint, and the query then silently returns nothing.
 */
final class MetricContract {

    static final Set<String> NAMES = Arrays.stream(Metric.values())
            .flatMap(m -> switch (m.type()) {
                case COUNTER, GAUGE -> Stream.of(m.exposedName());
                // Micrometer's timers: the series of a histogram or summary, and the _max gauge beside them
                case HISTOGRAM -> Stream.of("_bucket", "_count", "_sum", "_max").map(s -> m.exposedName() + s);
                case SUMMARY -> Stream.of("_count", "_sum", "_max").map(s -> m.exposedName() + s);
            })
            .collect(Collectors.toUnmodifiableSet());

    /** Exporter metric names ({@code listenq_...}, not recorded {@code listenq:...}) used in text. */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:])listenq_[a-z0-9_]+");

    private MetricContract() {}

    /** The {@code listenq_} metric names in {@code text} that are not in the contract. */
    static Set<String> unknownNames(String text) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            if (!NAMES.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }

    /** All {@code listenq_} metric names in {@code text}. */
    static Set<String> names(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
