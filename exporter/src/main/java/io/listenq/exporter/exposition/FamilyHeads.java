package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.IdentityHashMap;

/**
 * What a cached writer derives from a family's metadata (its fixed bytes), once per {@link MetricMetadata} object and
 * family type: the collector's families keep their metadata (its {@code Metric} constants) from write to write.
 * Metadata a write did not meet is forgotten when it ends.
 *
 * @param <H> the derived bytes; null from the probe: the family is not copied
 */
final class FamilyHeads<H> {
    /** client_java's rendering of one-point probes of a family, taken apart. */
    interface Probe<H> {
        H of(MetricSnapshot s) throws IOException;
    }

    private record Entry<H>(Class<?> type, H head) {}

    private final Probe<H> probe;
    private IdentityHashMap<MetricMetadata, Entry<H>> last = new IdentityHashMap<>();
    private IdentityHashMap<MetricMetadata, Entry<H>> next = new IdentityHashMap<>();

    FamilyHeads(Probe<H> probe) {
        this.probe = probe;
    }

    /** The head of {@code s} when it is copied: at least {@code minPoints} points, of a kind that can be. */
    H copied(MetricSnapshot s, int minPoints) throws IOException {
        return s.getDataPoints().size() >= minPoints && Families.copyable(s) ? get(s) : null;
    }

    /** The head of {@code s}, or null when it is not copied. */
    H get(MetricSnapshot s) throws IOException {
        MetricMetadata m = s.getMetadata();
        Entry<H> e = next.get(m);
        if (e == null) {
            e = last.get(m);
            if (e == null || e.type != s.getClass()) {
                e = new Entry<>(s.getClass(), probe.of(s));
            }
            next.put(m, e);
        }
        return e.head;
    }

    /** Ends a write: what it met is kept, the rest forgotten. */
    void endWrite() {
        IdentityHashMap<MetricMetadata, Entry<H>> m = last;
        last = next;
        next = m;
        next.clear();
    }
}
