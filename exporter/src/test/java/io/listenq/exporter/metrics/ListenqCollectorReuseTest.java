package io.listenq.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An idle round hands on the same namespaces list: the collector then reuses the namespace and listener families
 * it made before, and rebuilds only what changes every round; the listener families are rows (ListenerFamilies), reused the same way (timestamps, round duration, errors).
 */
class ListenqCollectorReuseTest {
    private static MetricSnapshot family(MetricSnapshots all, String name) {
        return all.stream()
                .filter(f -> f.getMetadata().getPrometheusName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> points(MetricSnapshot family) {
        return family.getDataPoints().stream()
                .map(p -> p.getLabels() + " " + ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                .toList();
    }

    @Test
    void theSameNamespacesGiveTheSameFamilies() {
        List<NamespaceSample> namespaces =
                ListenqCollectorGoldenTest.fixedSnapshot().namespaces();
        AtomicReference<Snapshot> now = new AtomicReference<>(
                Snapshots.snapshot(namespaces).timestampMillis(1_000).build());
        ListenqCollector collector = new ListenqCollector(now::get, "test");
        MetricSnapshots first = collector.collect();
        RowFamilies rows = collector.rows();

        now.set(Snapshots.snapshot(namespaces).timestampMillis(2_000).build());
        MetricSnapshots idle = collector.collect();
        assertThat(idle).isNotSameAs(first);
        assertThat(collector.rows()).as("the listener families' rows").isSameAs(rows);
        for (String name : List.of("listenq_netns_info", "listenq_somaxconn", "listenq_accept_queue_length")) {
            assertThat(points(family(idle, name))).as(name).isEqualTo(points(family(first, name)));
        }
        assertThat(family(idle, "listenq_last_sample_timestamp_seconds").getDataPoints())
                .isNotEqualTo(
                        family(first, "listenq_last_sample_timestamp_seconds").getDataPoints());

        now.set(Snapshots.snapshot(new ArrayList<>(namespaces))
                .timestampMillis(3_000)
                .build());
        MetricSnapshots changed = collector.collect();
        MetricSnapshot queue = family(changed, "listenq_accept_queue_length");
        assertThat(collector.rows()).as("another list: rows made again").isNotSameAs(rows);
        assertThat(points(queue)).isEqualTo(points(family(first, "listenq_accept_queue_length")));
    }
}
