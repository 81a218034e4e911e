package io.listenq.exporter.metrics;

import static io.listenq.exporter.metrics.ListenqCollector.counterPoint;
import static io.listenq.exporter.metrics.ListenqCollector.point;

import io.listenq.exporter.sample.ListenerSample;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One listener's data points in the seven per-listener families, kept by {@link ListenqCollector} while the sample
 * stays equal (an idle listener: most of them). A {@code null} point is a value the kernel did not give (an unknown
 * drop count or SYN queue): that series is absent, never a zero.
 */
record ListenerPoints(
        GaugeDataPointSnapshot queue,
        GaugeDataPointSnapshot backlog,
        GaugeDataPointSnapshot peak,
        CounterDataPointSnapshot fullSeconds,
        CounterDataPointSnapshot drops,
        GaugeDataPointSnapshot synQueue,
        GaugeDataPointSnapshot sockets) {

    static ListenerPoints of(ListenerSample l, Labels labels) {
        return new ListenerPoints(
                point(labels, l.acceptQueue()),
                point(labels, l.backlog()),
                point(labels, l.peak()),
                counterPoint(labels, l.fullSeconds()),
                known(l.drops()) ? counterPoint(labels, l.drops().getAsLong()) : null,
                known(l.synQueue()) ? point(labels, l.synQueue().getAsLong()) : null,
                point(labels, l.sockets()));
    }

    private static boolean known(OptionalLong v) {
        return v.isPresent();
    }

    /** The seven families' points of one build, in the snapshot's listener order. */
    static final class Families {
        final List<GaugeDataPointSnapshot> queue = new ArrayList<>();
        final List<GaugeDataPointSnapshot> backlog = new ArrayList<>();
        final List<GaugeDataPointSnapshot> peak = new ArrayList<>();
        final List<CounterDataPointSnapshot> fullSeconds = new ArrayList<>();
        final List<CounterDataPointSnapshot> drops = new ArrayList<>();
        final List<GaugeDataPointSnapshot> synQueue = new ArrayList<>();
        final List<GaugeDataPointSnapshot> sockets = new ArrayList<>();

        void add(ListenerPoints p) {
            queue.add(p.queue);
            backlog.add(p.backlog);
            peak.add(p.peak);
            fullSeconds.add(p.fullSeconds);
            if (p.drops != null) {
                drops.add(p.drops);
            }
            if (p.synQueue != null) {
                synQueue.add(p.synQueue);
            }
            sockets.add(p.sockets);
        }
    }
}
