package io.listenq.exporter.metrics;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The eight per-listener families of one snapshot as rows ({@link RowFamilies}): the snapshot's listener samples, one
 * {@link ListenerRow} per listener holding its label blocks, and the order client_java would sort each family's points
 * in. Nothing per data point: at 10,000 listeners the seven value families and the info family are ~80,000 points,
 * which as client_java objects (points, {@code Labels}, their caches) were ~10 MB of live heap.
 *
 * <p>Made once per snapshot whose namespaces or owners changed ({@link ListenqCollector}); rows of listeners whose key
 * and owner stay are carried over, with their rendered blocks, and while every listener stays in place the sort
 * orders are too: a round in which values change renders and sorts nothing.
 */
final class ListenerFamilies implements RowFamilies {
    /** The families, sorted by Prometheus name as client_java sorts a registry's families. */
    private static final List<Metric> FAMILIES = List.of(
                    Metric.ACCEPT_QUEUE_LENGTH,
                    Metric.ACCEPT_QUEUE_BACKLOG,
                    Metric.ACCEPT_QUEUE_PEAK_LENGTH,
                    Metric.ACCEPT_QUEUE_FULL_SECONDS,
                    Metric.LISTENER_DROPS,
                    Metric.SYN_QUEUE_LENGTH,
                    Metric.LISTENER_SOCKETS,
                    Metric.LISTENER_INFO)
            .stream()
            .sorted(Comparator.comparing(m -> m.metadata().getPrometheusName()))
            .toList();

    /** Their Prometheus names: what a registry scrape leaves out when these rows are written instead. */
    static final Set<String> NAMES =
            FAMILIES.stream().map(m -> m.metadata().getPrometheusName()).collect(Collectors.toUnmodifiableSet());

    private static final MetricSnapshot[] PROTOTYPES =
            FAMILIES.stream().map(RowSnapshots::prototype).toArray(MetricSnapshot[]::new);

    private final ListenerSample[] samples;
    private final ListenerRow[] rows;
    /** All listeners in the value families' order (labels by name: address, family, netns, port). */
    private final int[] order;
    /** TCP listeners in the info family's order (address, cgroup, container_id, family, netns, pod_uid, port, unit). */
    private final int[] infoOrder;
    /** Per family, the listeners that have a point in it, in order. */
    private final int[][] points;

    private ListenerFamilies(ListenerSample[] samples, ListenerRow[] rows, int[] order, int[] infoOrder) {
        this.samples = samples;
        this.rows = rows;
        this.order = order;
        this.infoOrder = infoOrder;
        this.points = new int[FAMILIES.size()][];
        for (int f = 0; f < points.length; f++) {
            Metric m = FAMILIES.get(f);
            points[f] = m == Metric.LISTENER_INFO
                    ? infoOrder
                    : m == Metric.LISTENER_DROPS
                            ? known(order, samples, true)
                            : m == Metric.SYN_QUEUE_LENGTH ? known(order, samples, false) : order;
        }
    }

    /** The rows of {@code s}, carrying over what {@code previous} (null: none) rendered and sorted. */
    static ListenerFamilies of(Snapshot s, ListenerFamilies previous) {
        List<ListenerSample> all = new ArrayList<>(s.listenerCount());
        for (NamespaceSample ns : s.namespaces()) {
            all.addAll(ns.listeners());
        }
        ListenerSample[] samples = all.toArray(ListenerSample[]::new);
        ListenerRow[] rows = new ListenerRow[samples.length];
        boolean inPlace = previous != null && previous.rows.length == rows.length;
        Map<ListenerKey, ListenerRow> byKey = null;
        for (int i = 0; i < samples.length; i++) {
            ListenerKey key = samples[i].key();
            ListenerOwner owner = key.family().equals("unix") ? null : s.owner(samples[i]);
            ListenerRow r = inPlace ? previous.rows[i] : null;
            if (r == null || !r.is(key, owner)) {
                if (byKey == null && previous != null) {
                    byKey = ListenerRow.byKey(previous.rows);
                }
                r = byKey == null ? null : byKey.get(key);
                r = r == null ? new ListenerRow(key, owner) : r.is(key, owner) ? r : r.withOwner(owner);
            }
            inPlace = inPlace && r == previous.rows[i];
            rows[i] = r;
        }
        if (inPlace) {
            return new ListenerFamilies(samples, rows, previous.order, previous.infoOrder);
        }
        return new ListenerFamilies(samples, rows, sorted(rows, false), sorted(rows, true));
    }

    private static int[] sorted(ListenerRow[] rows, boolean info) {
        return IntStream.range(0, rows.length)
                .filter(i -> !info || rows[i].owner() != null)
                .boxed()
                .sorted((a, b) -> info ? rows[a].compareInfo(rows[b]) : rows[a].compareTo(rows[b]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int[] known(int[] order, ListenerSample[] samples, boolean drops) {
        return Arrays.stream(order)
                .filter(i -> (drops ? samples[i].drops() : samples[i].synQueue()).isPresent())
                .toArray();
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
        ListenerSample l = samples[points[f][i]];
        return switch (FAMILIES.get(f)) {
            case ACCEPT_QUEUE_LENGTH -> l.acceptQueue();
            case ACCEPT_QUEUE_BACKLOG -> l.backlog();
            case ACCEPT_QUEUE_PEAK_LENGTH -> l.peak();
            case ACCEPT_QUEUE_FULL_SECONDS -> l.fullSeconds();
            case LISTENER_DROPS -> l.drops().getAsLong();
            case SYN_QUEUE_LENGTH -> l.synQueue().getAsLong();
            case LISTENER_SOCKETS -> l.sockets();
            default -> 1; // LISTENER_INFO
        };
    }

    @Override
    public byte[] text(int f, int i) {
        ListenerRow r = rows[points[f][i]];
        return FAMILIES.get(f) == Metric.LISTENER_INFO ? r.infoText() : r.text();
    }

    @Override
    public byte[] protobuf(int f, int i) {
        ListenerRow r = rows[points[f][i]];
        return FAMILIES.get(f) == Metric.LISTENER_INFO ? r.infoProtobuf() : r.protobuf();
    }

    /** Family {@code f} as client_java points (for scrapes that select families by name, and tests). */
    MetricSnapshot snapshot(int f) {
        boolean info = FAMILIES.get(f) == Metric.LISTENER_INFO;
        return RowSnapshots.points(FAMILIES.get(f), points(f), i -> rows[points[f][i]].labels(info), i -> value(f, i));
    }
}
