package io.listenq.exporter.metrics;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.exposition.MergedRows;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Serves the latest {@link Snapshot} as Prometheus metrics. It never samples: a scrape only turns the snapshot
 * the sampler swapped in into metric families, once per snapshot (cached), so scrapes cost the same however many
 * namespaces there are and never wait for the sampler. Nothing here throws into the scrape for a snapshot that
 * exists; before the first round it serves build info alone.
 *
 * <p>The per-listener and per-namespace families (nearly all of the series) are kept as rows ({@link #rows()}:
 * {@link ListenerFamilies}, {@link NetnsFamilies}), which the exposition writes straight to the output; the registry's
 * scrape then leaves them out ({@link #rowFamilyNames()}). Only a scrape that selects families by name, and a registry
 * used without rows (tests), turn them into client_java data points, for that call alone.
 */
public final class ListenqCollector implements MultiCollector {
    private static final List<Metric> CATALOG = Metric.from(Metric.Source.SNAPSHOT);
    private static final Set<String> ROW_NAMES = Stream.concat(
                    ListenerFamilies.NAMES.stream(), NetnsFamilies.NAMES.stream())
            .collect(Collectors.toUnmodifiableSet());

    private final Supplier<Snapshot> snapshots;
    private final BuildInfo build;
    private final Object lock = new Object();
    private Snapshot cachedFor;
    /**
     * The families of {@code cachedFor}, while anyone still uses them (the full collect of tests and of registries
     * wired without rows).
     */
    private WeakReference<MetricSnapshots> cached = new WeakReference<>(null);
    /** The listener and namespace families of {@code rowsFor} and {@code rowsOwners} (an idle round: the same). */
    private ListenerFamilies listenerRows;

    private NetnsFamilies netnsRows;
    private RowFamilies rows;
    private List<NamespaceSample> rowsFor;
    private Map<Long, ListenerOwner> rowsOwners;

    /** With only a version (tests, benchmarks): revision and Java version "unknown". */
    public ListenqCollector(Supplier<Snapshot> snapshots, String version) {
        this(snapshots, new BuildInfo(version, "unknown", "unknown"));
    }

    public ListenqCollector(Supplier<Snapshot> snapshots, BuildInfo build) {
        this.snapshots = snapshots;
        this.build = build;
    }

    /** The catalog's names: lets a shared registry refuse a collision at registration, not at scrape time. */
    @Override
    public List<String> getPrometheusNames() {
        return CATALOG.stream().map(m -> m.metadata().getPrometheusName()).toList();
    }

    @Override
    public MetricType getMetricType(String prometheusName) {
        return find(prometheusName)
                .map(m -> m.type() == Metric.Type.COUNTER ? MetricType.COUNTER : MetricType.GAUGE)
                .orElse(null);
    }

    @Override
    public Set<String> getLabelNames(String prometheusName) {
        return find(prometheusName).map(m -> Set.copyOf(m.labels())).orElse(null);
    }

    @Override
    public MetricMetadata getMetadata(String prometheusName) {
        return find(prometheusName).map(Metric::metadata).orElse(null);
    }

    private static Optional<Metric> find(String prometheusName) {
        return CATALOG.stream()
                .filter(m -> m.metadata().getPrometheusName().equals(prometheusName))
                .findFirst();
    }

    @Override
    public MetricSnapshots collect() {
        Snapshot s = snapshots.get();
        synchronized (lock) {
            MetricSnapshots families = cached.get();
            if (families == null || s != cachedFor) {
                families = build(s, name -> true);
                cached = new WeakReference<>(families);
                cachedFor = s;
            }
            return families;
        }
    }

    /**
     * Only the families {@code included} names, never cached: a scrape that selects families by name, or the
     * exposition's scrape of everything but the row families, which it writes from {@link #rows()}.
     */
    @Override
    public MetricSnapshots collect(Predicate<String> included, PrometheusScrapeRequest request) {
        Snapshot s = snapshots.get();
        synchronized (lock) {
            MetricSnapshots all = build(s, included);
            MetricSnapshots.Builder out = MetricSnapshots.builder();
            for (MetricSnapshot f : all) {
                if (included.test(f.getMetadata().getPrometheusName())) {
                    out.metricSnapshot(f);
                }
            }
            return out.build();
        }
    }

    /** The names of the families {@link #rows()} holds: those made per listener and per namespace. */
    public static Set<String> rowFamilyNames() {
        return ROW_NAMES;
    }

    /**
     * The per-listener and per-namespace families of the current snapshot as rows, for the cached writers; null
     * before the first round.
     */
    public RowFamilies rows() {
        Snapshot s = snapshots.get();
        synchronized (lock) {
            return s == null ? null : rowsOf(s);
        }
    }

    private RowFamilies rowsOf(Snapshot s) {
        if (rows == null || s.namespaces() != rowsFor || s.owners() != rowsOwners) {
            listenerRows = ListenerFamilies.of(s, listenerRows);
            netnsRows = NetnsFamilies.of(s.namespaces(), netnsRows);
            rows = MergedRows.of(listenerRows, netnsRows);
            rowsFor = s.namespaces();
            rowsOwners = s.owners();
        }
        return rows;
    }

    private MetricSnapshots build(Snapshot s, Predicate<String> included) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(gauge(
                Metric.BUILD_INFO,
                List.of(point(
                        Labels.of(
                                "version",
                                build.version(),
                                "revision",
                                build.revision(),
                                "java_version",
                                build.javaVersion()),
                        1))));
        if (s == null) {
            return out.build();
        }
        rowsOf(s);
        for (int f = 0; f < listenerRows.count(); f++) {
            if (included.test(listenerRows.prototype(f).getMetadata().getPrometheusName())) {
                out.metricSnapshot(listenerRows.snapshot(f));
            }
        }
        for (int f = 0; f < netnsRows.count(); f++) {
            if (included.test(netnsRows.prototype(f).getMetadata().getPrometheusName())) {
                out.metricSnapshot(netnsRows.snapshot(f));
            }
        }
        out.metricSnapshot(
                gauge(Metric.NETNS, List.of(point(Labels.EMPTY, s.namespaces().size()))));
        addErrors(out, s);
        addSelf(out, s);
        return out.build();
    }

    private static void addErrors(MetricSnapshots.Builder out, Snapshot s) {
        List<CounterDataPointSnapshot> errors = new ArrayList<>();
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.netnsErrors()).entrySet()) {
            errors.add(counterPoint(Labels.of("reason", e.getKey()), e.getValue()));
        }
        out.metricSnapshot(new CounterSnapshot(Metric.NETNS_ERRORS.metadata(), errors));
    }

    private static void addSelf(MetricSnapshots.Builder out, Snapshot s) {
        List<GaugeDataPointSnapshot> success = new ArrayList<>();
        List<GaugeDataPointSnapshot> duration = new ArrayList<>();
        for (CollectorResult c : s.collectors()) {
            Labels l = Labels.of("collector", c.name());
            success.add(point(l, c.success() ? 1 : 0));
            duration.add(point(l, c.durationSeconds()));
        }
        out.metricSnapshot(gauge(Metric.COLLECTOR_SUCCESS, success));
        out.metricSnapshot(gauge(Metric.COLLECTOR_DURATION_SECONDS, duration));
        out.metricSnapshot(gauge(
                Metric.LAST_SAMPLE_TIMESTAMP_SECONDS, List.of(point(Labels.EMPTY, s.timestampMillis() / 1000.0))));
        out.metricSnapshot(gauge(Metric.SAMPLE_ROUND_DURATION_SECONDS, List.of(point(Labels.EMPTY, s.roundSeconds()))));
        out.metricSnapshot(gauge(Metric.LISTENERS_DROPPED, List.of(point(Labels.EMPTY, s.listenersDropped()))));
    }

    private static GaugeSnapshot gauge(Metric metric, List<GaugeDataPointSnapshot> points) {
        return new GaugeSnapshot(metric.metadata(), points);
    }

    static GaugeDataPointSnapshot point(Labels labels, double value) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }

    static CounterDataPointSnapshot counterPoint(Labels labels, double value) {
        return new CounterDataPointSnapshot(value, labels, null, 0);
    }

    /** Kernel counters are u64: read the long's bits as unsigned. */
    static double unsigned(long v) {
        return v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
    }
}
