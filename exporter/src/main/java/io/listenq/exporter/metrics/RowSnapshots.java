package io.listenq.exporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/** What the row families ({@link ListenerFamilies}, {@link NetnsFamilies}) share: their client_java shapes. */
final class RowSnapshots {
    private RowSnapshots() {}

    /** A family of {@code m}'s type and metadata without points: what the writers probe for its fixed bytes. */
    static MetricSnapshot prototype(Metric m) {
        return m.type() == Metric.Type.COUNTER
                ? new CounterSnapshot(m.metadata(), List.of())
                : new GaugeSnapshot(m.metadata(), List.of());
    }

    /** Family {@code m} as client_java points: {@code n} of them, point {@code i} of labels and value. */
    static MetricSnapshot points(Metric m, int n, IntFunction<Labels> labels, IntToDoubleFunction value) {
        if (m.type() == Metric.Type.COUNTER) {
            List<CounterSnapshot.CounterDataPointSnapshot> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ListenqCollector.counterPoint(labels.apply(i), value.applyAsDouble(i)));
            }
            return new CounterSnapshot(m.metadata(), out);
        }
        List<GaugeSnapshot.GaugeDataPointSnapshot> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ListenqCollector.point(labels.apply(i), value.applyAsDouble(i)));
        }
        return new GaugeSnapshot(m.metadata(), out);
    }
}
