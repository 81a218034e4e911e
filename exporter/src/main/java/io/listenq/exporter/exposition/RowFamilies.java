package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Families a collector keeps as rows of its own (values it reads from its samples, label blocks it rendered once per
 * series) instead of client_java data points: the cached writers write them straight to the output, merged by name
 * with the registry's families, byte for byte as client_java would write the same points. At 10,000 listeners the
 * data points and {@code Labels} of the listener families were most of the exporter's heap (~10 MB live, rebuilt
 * on every round in which a namespace changed).
 *
 * <p>Points of a family come in client_java's order (by label values, labels by name). A family is a gauge or a
 * counter; its label names are ones client_java writes as they are (no quoting, no escaping).
 */
public interface RowFamilies {
    /** How many families. */
    int count();

    /**
     * Family {@code f}'s type and metadata, as a snapshot without points: what the writers probe for its fixed bytes,
     * the same object from write to write. Families come sorted by Prometheus name.
     */
    MetricSnapshot prototype(int f);

    /** Points in family {@code f}; a family without points is not written. */
    int points(int f);

    /** The value of point {@code i} of family {@code f}. */
    double value(int f, int i);

    /** The text label block of point {@code i} of family {@code f}: {@code {name="value",...}}, UTF-8. */
    byte[] text(int f, int i);

    /** The protobuf {@code LabelPair} fields of point {@code i} of family {@code f}. */
    byte[] protobuf(int f, int i);
}
