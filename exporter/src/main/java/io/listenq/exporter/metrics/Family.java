package io.listenq.exporter.metrics;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.metrics.Metric.Source;
import io.listenq.exporter.metrics.Metric.Type;
import io.listenq.exporter.sample.NetnsCounter;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog says of one family: its source, type, name, unit, labels and help, and, for the per-namespace
 * families, the kernel counter or sysctl it exports. The factories write the help of those from the kernel source,
 * so a counter's help always names its column and file, and a sysctl's its dotted name and path.
 *
 * @param name the name as registered: counters without {@code _total}
 */
record Family(
        Source source,
        Type type,
        String name,
        Optional<Unit> unit,
        List<String> labels,
        String help,
        Optional<NetnsCounter> counter,
        Optional<Sysctl> sysctl) {

    Family {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
    }

    /** A family the collector fills from the snapshot. */
    static Family snapshot(Type type, String name, Unit unit, List<String> labels, String help) {
        return new Family(
                Source.SNAPSHOT,
                type,
                name,
                Optional.ofNullable(unit),
                labels,
                help,
                Optional.empty(),
                Optional.empty());
    }

    /** A Micrometer timer (in seconds) or counter. */
    static Family micrometer(Type type, String name, List<String> labels, String help) {
        Optional<Unit> unit = type == Type.COUNTER ? Optional.empty() : Optional.of(Unit.SECONDS);
        return new Family(Source.MICROMETER, type, name, unit, labels, help, Optional.empty(), Optional.empty());
    }

    /** A per-namespace kernel counter; the help gains its column and file. */
    static Family counter(NetnsCounter counter, String name, String help) {
        String source = counter.key().prefix() + " " + counter.key().name() + " from /proc/<pid>/net/" + counter.file();
        return perNamespace(Type.COUNTER, name, help, source, Optional.of(counter), Optional.empty());
    }

    /** A per-namespace sysctl gauge; the help gains the sysctl's name and path. */
    static Family sysctl(Sysctl sysctl, String name, String help) {
        String source = "sysctl " + sysctl.dottedName() + ", /proc/sys/" + sysctl.path();
        return perNamespace(Type.GAUGE, name, help, source, Optional.empty(), Optional.of(sysctl));
    }

    private static Family perNamespace(
            Type type,
            String name,
            String help,
            String kernelSource,
            Optional<NetnsCounter> counter,
            Optional<Sysctl> sysctl) {
        return new Family(
                Source.SNAPSHOT,
                type,
                name,
                Optional.empty(),
                Metric.LabelSets.NETNS,
                help + " (" + kernelSource + ").",
                counter,
                sysctl);
    }
}
