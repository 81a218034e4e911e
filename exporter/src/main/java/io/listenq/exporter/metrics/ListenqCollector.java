package io.listenq.exporter.metrics;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
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

/**
 * Serves the latest {@link Snapshot} as Prometheus metrics. It never samples: a scrape only turns the snapshot
 * the sampler swapped in into metric families, once per snapshot (cached), so scrapes cost the same however many
 * namespaces there are and never wait for the sampler. Nothing here throws into the scrape for a snapshot that
 * exists; before the first round it serves build info alone.
 */
public final class ListenqCollector implements MultiCollector {
    private static final String[] NS_LABEL = Metric.LabelSets.NETNS.toArray(String[]::new);
    private static final String[] NETNS_INFO_LABELS = Metric.NETNS_INFO.labels().toArray(String[]::new);

    private static final List<Metric> CATALOG = Metric.from(Metric.Source.SNAPSHOT);

    private final Supplier<Snapshot> snapshots;
    private final BuildInfo build;
    private final Object lock = new Object();
    private Snapshot cachedFor;
    /** What {@link #dataFamilies} were last made from, and the families: reused while both are the same objects. */
    private List<NamespaceSample> dataFor;

    private List<MetricSnapshot> dataFamilies = List.of();
    /**
     * The families of {@code cachedFor}, while anyone still uses them: the exposition is encoded from them and then
     * cached as bytes (http.ExpositionCache). A format first asked for in the same round rebuilds them when they were
     * collected; the data families in it are {@link #dataFamilies}' (their points are the series caches' anyway).
     */
    private WeakReference<MetricSnapshots> cached = new WeakReference<>(null);
    /** The listener families of {@code rowsFor} and {@code rowsOwners} (an idle round: the same object). */
    private ListenerFamilies rows;

    private List<NamespaceSample> rowsFor;
    private Map<Long, ListenerOwner> rowsOwners;

    private final SeriesCache<String, Void, Labels> netnsLabels =
            new SeriesCache<>((netns, none) -> Labels.of(NS_LABEL, new String[] {netns}));
    private final SeriesCache<String, NetnsIdentity, GaugeDataPointSnapshot> identityPoints =
            new SeriesCache<>((netns, id) -> point(
                    Labels.of(
                            NETNS_INFO_LABELS,
                            new String[] {netns, id.name(), id.pid(), id.comm(), id.containerId(), id.podUid()}),
                    1));

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
     * exposition's scrape of everything but the listener families, which it writes from {@link #listenerRows()}.
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

    /** The names of the families {@link #listenerRows()} holds. */
    public static Set<String> listenerFamilyNames() {
        return ListenerFamilies.NAMES;
    }

    /** The listener families of the current snapshot as rows, for the cached writers; null before the first round. */
    public RowFamilies listenerRows() {
        Snapshot s = snapshots.get();
        synchronized (lock) {
            return s == null ? null : rowsOf(s);
        }
    }

    private ListenerFamilies rowsOf(Snapshot s) {
        if (rows == null || s.namespaces() != rowsFor || s.owners() != rowsOwners) {
            rows = ListenerFamilies.of(s, rows);
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
        if (s.namespaces() != dataFor) {
            dataFamilies = dataFamilies(s);
            dataFor = s.namespaces();
        }
        dataFamilies.forEach(out::metricSnapshot);
        ListenerFamilies listeners = rowsOf(s);
        for (int f = 0; f < listeners.count(); f++) {
            if (included.test(listeners.prototype(f).getMetadata().getPrometheusName())) {
                out.metricSnapshot(listeners.snapshot(f));
            }
        }
        addErrors(out, s);
        addSelf(out, s);
        return out.build();
    }

    /**
     * The families made from the namespaces alone (the listener families are rows: {@link ListenerFamilies}). The sampler hands on the very same
     * list while no namespace changed (an idle round), and then so does this: no series is looked up, no data point
     * list sorted again (client_java sorts every family's points by labels when it is built).
     */
    private List<MetricSnapshot> dataFamilies(Snapshot s) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        List<NamespaceSample> namespaces = s.namespaces();
        for (Metric m : CATALOG) {
            if (m.counter().isPresent()) {
                NetnsCounter c = m.counter().get();
                List<CounterDataPointSnapshot> points = new ArrayList<>(namespaces.size());
                for (NamespaceSample ns : namespaces) {
                    Long v = ns.counters().get(c);
                    if (v != null) {
                        points.add(counterPoint(netnsLabels.get(ns.netns(), null), unsigned(v)));
                    }
                }
                out.metricSnapshot(new CounterSnapshot(m.metadata(), points));
            } else if (m.sysctl().isPresent()) {
                Sysctl c = m.sysctl().get();
                List<GaugeDataPointSnapshot> points = new ArrayList<>(namespaces.size());
                for (NamespaceSample ns : namespaces) {
                    Long v = ns.sysctls().get(c);
                    if (v != null) {
                        points.add(point(netnsLabels.get(ns.netns(), null), v));
                    }
                }
                out.metricSnapshot(gauge(m, points));
            }
        }
        addNamespaces(out, s);
        netnsLabels.endBuild();
        identityPoints.endBuild();
        return out.build().stream().toList();
    }

    private void addNamespaces(MetricSnapshots.Builder out, Snapshot s) {
        List<GaugeDataPointSnapshot> info = new ArrayList<>(s.namespaces().size());
        for (NamespaceSample ns : s.namespaces()) {
            info.add(identityPoints.get(ns.netns(), ns.identity()));
        }
        out.metricSnapshot(gauge(Metric.NETNS_INFO, info));
        out.metricSnapshot(
                gauge(Metric.NETNS, List.of(point(Labels.EMPTY, s.namespaces().size()))));
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
