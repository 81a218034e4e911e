package io.listenq.exporter.metrics;

import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.NamespaceSample;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The per-namespace families of one snapshot as rows ({@link RowFamilies}): the kernel counters, the sysctls and
 * {@code listenq_netns_info}, read from the snapshot's namespace samples, with one {@link NetnsRow} of rendered labels
 * per namespace. At 1,000 namespaces these are ~16,000 points, which as client_java objects were rebuilt on every
 * round in which any namespace's counters moved, and whose labels every streamed scrape rendered again.
 */
final class NetnsFamilies implements RowFamilies {
    /** The families, sorted by Prometheus name as client_java sorts a registry's families. */
    private static final List<Metric> FAMILIES = Metric.from(Metric.Source.SNAPSHOT).stream()
            .filter(m -> m.counter().isPresent() || m.sysctl().isPresent() || m == Metric.NETNS_INFO)
            .sorted(Comparator.comparing(m -> m.metadata().getPrometheusName()))
            .toList();

    /** Their Prometheus names. */
    static final Set<String> NAMES =
            FAMILIES.stream().map(m -> m.metadata().getPrometheusName()).collect(Collectors.toUnmodifiableSet());

    private static final MetricSnapshot[] PROTOTYPES =
            FAMILIES.stream().map(RowSnapshots::prototype).toArray(MetricSnapshot[]::new);

    private final List<NamespaceSample> namespaces;
    private final NetnsRow[] rows;
    /** All namespaces by netns, and by the info family's labels. */
    private final int[] order;

    private final int[] infoOrder;
    /** Per family, the namespaces that have a point in it, in order. */
    private final int[][] points;

    private NetnsFamilies(List<NamespaceSample> namespaces, NetnsRow[] rows, int[] order, int[] infoOrder) {
        this.namespaces = namespaces;
        this.rows = rows;
        this.order = order;
        this.infoOrder = infoOrder;
        this.points = new int[FAMILIES.size()][];
        for (int f = 0; f < points.length; f++) {
            Metric m = FAMILIES.get(f);
            points[f] = m == Metric.NETNS_INFO
                    ? infoOrder
                    : IntStream.of(order)
                            .filter(i -> raw(m, namespaces.get(i)) != null)
                            .toArray();
        }
    }

    /** The rows of {@code namespaces}, carrying over what {@code previous} (null: none) rendered and sorted. */
    static NetnsFamilies of(List<NamespaceSample> namespaces, NetnsFamilies previous) {
        NetnsRow[] rows = new NetnsRow[namespaces.size()];
        boolean inPlace = previous != null && previous.rows.length == rows.length;
        Map<String, NetnsRow> byNetns = null;
        for (int i = 0; i < rows.length; i++) {
            NamespaceSample ns = namespaces.get(i);
            NetnsRow r = inPlace ? previous.rows[i] : null;
            if (r == null || !r.is(ns.netns(), ns.identity())) {
                if (byNetns == null && previous != null) {
                    byNetns = NetnsRow.byNetns(previous.rows);
                }
                r = byNetns == null ? null : byNetns.get(ns.netns());
                r = r != null && r.is(ns.netns(), ns.identity()) ? r : new NetnsRow(ns.netns(), ns.identity());
            }
            inPlace = inPlace && r == previous.rows[i];
            rows[i] = r;
        }
        if (inPlace) {
            return new NetnsFamilies(namespaces, rows, previous.order, previous.infoOrder);
        }
        return new NetnsFamilies(namespaces, rows, sorted(rows, false), sorted(rows, true));
    }

    private static int[] sorted(NetnsRow[] rows, boolean info) {
        return IntStream.range(0, rows.length)
                .boxed()
                .sorted((a, b) -> info ? rows[a].compareInfo(rows[b]) : rows[a].compareTo(rows[b]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static Long raw(Metric m, NamespaceSample ns) {
        return m.counter().isPresent()
                ? ns.counters().get(m.counter().get())
                : ns.sysctls().get(m.sysctl().get());
    }

    @Override
    public int count() {
        return PROTOTYPES.length;
    }

    @Override
    public MetricSnapshot prototype(int f) {
        return PROTOTYPES[f];
    }

    @Override
    public int points(int f) {
        return points[f].length;
    }

    @Override
    public double value(int f, int i) {
        Metric m = FAMILIES.get(f);
        if (m == Metric.NETNS_INFO) {
            return 1;
        }
        long v = raw(m, namespaces.get(points[f][i]));
        return m.counter().isPresent() ? ListenqCollector.unsigned(v) : v;
    }

    @Override
    public byte[] text(int f, int i) {
        return rows[points[f][i]].text(FAMILIES.get(f) == Metric.NETNS_INFO);
    }

    @Override
    public byte[] protobuf(int f, int i) {
        return rows[points[f][i]].protobuf(FAMILIES.get(f) == Metric.NETNS_INFO);
    }

    /** Family {@code f} as client_java points (for scrapes that select families by name, and tests). */
    MetricSnapshot snapshot(int f) {
        boolean info = FAMILIES.get(f) == Metric.NETNS_INFO;
        return RowSnapshots.points(FAMILIES.get(f), points(f), i -> rows[points[f][i]].labels(info), i -> value(f, i));
    }
}
