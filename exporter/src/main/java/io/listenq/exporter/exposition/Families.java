package io.listenq.exporter.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.List;

/**
 * Which families and points the cached writers copy (one line or one {@code Metric} per point, a value and labels,
 * nothing else), and the one-point probes whose client_java rendering gives a family's fixed bytes.
 */
final class Families {
    private Families() {}

    /** Gauges, counters, unknowns and info series whose names client_java writes as they are. */
    static boolean copyable(MetricSnapshot s) {
        return (s instanceof GaugeSnapshot
                        || s instanceof CounterSnapshot
                        || s instanceof UnknownSnapshot
                        || s instanceof InfoSnapshot)
                && SnapshotEscaper.escapeMetricSnapshot(s, EscapingScheme.DEFAULT) == s;
    }

    /**
     * A point that is labels and a value only: no scrape timestamp, exemplar or created timestamp (the collector sets
     * none; client_java writes such points differently per format).
     */
    static boolean plain(DataPointSnapshot p) {
        return !p.hasScrapeTimestamp()
                && !p.hasCreatedTimestamp()
                && switch (p) {
                    case GaugeDataPointSnapshot g -> g.getExemplar() == null;
                    case CounterDataPointSnapshot c -> c.getExemplar() == null;
                    case UnknownDataPointSnapshot u -> u.getExemplar() == null;
                    default -> true;
                };
    }

    /** The value of a gauge, counter or unknown point; 1 for an info point. */
    static double value(DataPointSnapshot p) {
        return switch (p) {
            case GaugeDataPointSnapshot g -> g.getValue();
            case CounterDataPointSnapshot c -> c.getValue();
            case UnknownDataPointSnapshot u -> u.getValue();
            default -> 1;
        };
    }

    /** A family like {@code s} (type, metadata) with one unlabelled point of {@code value}. */
    static MetricSnapshot probe(MetricSnapshot s, double value) {
        MetricMetadata m = s.getMetadata();
        return switch (s) {
            case GaugeSnapshot g ->
                new GaugeSnapshot(m, List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
            case CounterSnapshot c ->
                new CounterSnapshot(m, List.of(new CounterDataPointSnapshot(value, Labels.EMPTY, null, 0)));
            case UnknownSnapshot u ->
                new UnknownSnapshot(m, List.of(new UnknownDataPointSnapshot(value, Labels.EMPTY, null)));
            default -> new InfoSnapshot(m, List.of(new InfoSnapshot.InfoDataPointSnapshot(Labels.EMPTY)));
        };
    }
}
