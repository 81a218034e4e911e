package io.listenq.exporter.metrics;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.sample.Sysctl;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Serves the latest {@link Snapshot} as Prometheus metrics. It never samples: a scrape only turns the snapshot
 * the sampler swapped in into metric families, once per snapshot (cached), so scrapes cost the same however many
 * namespaces there are and never wait for the sampler. Nothing here throws into the scrape for a snapshot that
 * exists; before the first round it serves build info alone.
 */
public final class ListenqCollector implements MultiCollector {
    private static final String[] NS_LABEL = {"netns"};
    private static final String[] LISTENER_LABELS = {"netns", "family", "address", "port"};

    private final Supplier<Snapshot> snapshots;
    private final String version;
    private final Object lock = new Object();
    private Snapshot cachedFor;
    private MetricSnapshots cached;

    public ListenqCollector(Supplier<Snapshot> snapshots, String version) {
        this.snapshots = snapshots;
        this.version = version;
    }

    @Override
    public MetricSnapshots collect() {
        Snapshot s = snapshots.get();
        synchronized (lock) {
            if (cached == null || s != cachedFor) {
                cached = build(s);
                cachedFor = s;
            }
            return cached;
        }
    }

    private MetricSnapshots build(Snapshot s) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(gauge("listenq_build_info", "Version of listenq-exporter; always 1.",
                List.of(point(Labels.of("version", version), 1))));
        if (s == null) {
            return out.build();
        }
        List<NamespaceSample> namespaces = s.namespaces();
        for (NetnsCounter c : NetnsCounter.values()) {
            List<CounterDataPointSnapshot> points = new ArrayList<>(namespaces.size());
            for (NamespaceSample ns : namespaces) {
                Long v = ns.counters().get(c);
                if (v != null) {
                    points.add(counterPoint(Labels.of(NS_LABEL, new String[] {ns.netns()}), unsigned(v)));
                }
            }
            out.metricSnapshot(new CounterSnapshot(meta(c.metricName(), c.help(), null), points));
        }
        for (Sysctl c : Sysctl.values()) {
            List<GaugeDataPointSnapshot> points = new ArrayList<>(namespaces.size());
            for (NamespaceSample ns : namespaces) {
                Long v = ns.sysctls().get(c);
                if (v != null) {
                    points.add(point(Labels.of(NS_LABEL, new String[] {ns.netns()}), v));
                }
            }
            out.metricSnapshot(gauge(c.metricName(), c.help(), points));
        }
        addListeners(out, namespaces);
        addOwners(out, s);
        addNamespaces(out, s);
        addSelf(out, s);
        return out.build();
    }

    private static void addListeners(MetricSnapshots.Builder out, List<NamespaceSample> namespaces) {
        List<Labels> labels = new ArrayList<>();
        List<ListenerSample> listeners = new ArrayList<>();
        for (NamespaceSample ns : namespaces) {
            for (ListenerSample l : ns.listeners()) {
                listeners.add(l);
                labels.add(Labels.of(LISTENER_LABELS,
                        new String[] {l.key().netns(), l.key().family(), l.key().address(), l.key().port()}));
            }
        }
        out.metricSnapshot(gauge("listenq_accept_queue_length",
                "Connections waiting in the accept queue (sk_ack_backlog: inet_diag idiag_rqueue, "
                        + "unix_diag UNIX_DIAG_RQLEN), summed over an SO_REUSEPORT group.",
                points(listeners, labels, l -> l.acceptQueue())));
        out.metricSnapshot(gauge("listenq_accept_queue_backlog",
                "Accept queue limit (sk_max_ack_backlog = min(listen backlog, somaxconn): inet_diag idiag_wqueue, "
                        + "UNIX_DIAG_RQLEN); the kernel drops when the length exceeds it.",
                points(listeners, labels, l -> l.backlog())));
        out.metricSnapshot(gauge("listenq_accept_queue_peak_length",
                "Largest accept queue length sampled within --peak.window.",
                points(listeners, labels, l -> l.peak())));
        out.metricSnapshot(new CounterSnapshot(meta("listenq_accept_queue_full_seconds",
                "Sampled time the accept queue was full (length > backlog, the kernel's sk_acceptq_is_full).",
                Unit.SECONDS), counterPoints(listeners, labels, ListenerSample::fullSeconds)));
        out.metricSnapshot(new CounterSnapshot(meta("listenq_listener_drops",
                "SYNs and ACKs the kernel dropped on this TCP listener (sk_drops, inet_diag "
                        + "INET_DIAG_SKMEMINFO SK_MEMINFO_DROPS; ss -m d<N>).", null),
                counterPoints(listeners, labels, l -> l.drops() < 0 ? Double.NaN : l.drops())));
        out.metricSnapshot(gauge("listenq_syn_queue_length",
                "Request sockets in SYN-RECV for this TCP address and port (inet_diag dump of TCP_SYN_RECV).",
                points(listeners, labels, l -> l.synQueue() < 0 ? Double.NaN : l.synQueue())));
        out.metricSnapshot(gauge("listenq_listener_sockets",
                "Listening sockets behind this series: 1, or the size of its SO_REUSEPORT group.",
                points(listeners, labels, l -> l.sockets())));
    }

    private static final String[] INFO_LABELS =
            {"netns", "family", "address", "port", "cgroup", "unit", "container_id", "pod_uid"};

    /** One series per TCP listener; unix_diag gives no cgroup, so unix listeners have none (README). */
    private static void addOwners(MetricSnapshots.Builder out, Snapshot s) {
        List<GaugeDataPointSnapshot> info = new ArrayList<>();
        for (NamespaceSample ns : s.namespaces()) {
            for (ListenerSample l : ns.listeners()) {
                if (l.key().family().equals("unix")) {
                    continue;
                }
                ListenerOwner o = s.owner(l);
                info.add(point(Labels.of(INFO_LABELS, new String[] {l.key().netns(), l.key().family(),
                        l.key().address(), l.key().port(), o.cgroup(), o.unit(), o.containerId(), o.podUid()}), 1));
            }
        }
        out.metricSnapshot(gauge("listenq_listener_info",
                "Owner of a TCP listener: the cgroup v2 path of the socket's creator (inet_diag INET_DIAG_CGROUP_ID, "
                        + "resolved under the cgroup2 mount), its systemd unit, container and pod; empty when unknown; "
                        + "always 1.", info));
    }

    private static void addNamespaces(MetricSnapshots.Builder out, Snapshot s) {
        List<GaugeDataPointSnapshot> info = new ArrayList<>(s.namespaces().size());
        for (NamespaceSample ns : s.namespaces()) {
            NetnsIdentity id = ns.identity();
            info.add(point(Labels.of(
                    new String[] {"netns", "name", "pid", "comm", "container_id", "pod_uid"},
                    new String[] {ns.netns(), id.name(), id.pid(), id.comm(), id.containerId(), id.podUid()}), 1));
        }
        out.metricSnapshot(gauge("listenq_netns_info",
                "Identity of a sampled network namespace (ip netns name, lowest pid inside, container and pod); "
                        + "always 1. Join on netns.", info));
        out.metricSnapshot(gauge("listenq_netns", "Network namespaces sampled in the last round.",
                List.of(point(Labels.EMPTY, s.namespaces().size()))));
        List<CounterDataPointSnapshot> errors = new ArrayList<>();
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.netnsErrors()).entrySet()) {
            errors.add(counterPoint(Labels.of("reason", e.getKey()), e.getValue()));
        }
        out.metricSnapshot(new CounterSnapshot(meta("listenq_netns_errors",
                "Namespaces skipped in a round, by reason (vanished, permission, ...).", null), errors));
    }

    private static void addSelf(MetricSnapshots.Builder out, Snapshot s) {
        List<GaugeDataPointSnapshot> success = new ArrayList<>();
        List<GaugeDataPointSnapshot> duration = new ArrayList<>();
        for (CollectorResult c : s.collectors()) {
            Labels l = Labels.of("collector", c.name());
            success.add(point(l, c.success() ? 1 : 0));
            duration.add(point(l, c.durationSeconds()));
        }
        out.metricSnapshot(gauge("listenq_collector_success",
                "1 when the collector succeeded in every sampled namespace in the last round.", success));
        out.metricSnapshot(new GaugeSnapshot(meta("listenq_collector_duration_seconds",
                "Time the collector took in the last round, summed over namespaces.", Unit.SECONDS), duration));
        out.metricSnapshot(new GaugeSnapshot(meta("listenq_last_sample_timestamp_seconds",
                "Unix time at which the last sampling round ended.", Unit.SECONDS),
                List.of(point(Labels.EMPTY, s.timestampMillis() / 1000.0))));
        out.metricSnapshot(new GaugeSnapshot(meta("listenq_sample_round_duration_seconds",
                "Wall time of the last sampling round, every namespace and collector included.", Unit.SECONDS),
                List.of(point(Labels.EMPTY, s.roundSeconds()))));
        out.metricSnapshot(new CounterSnapshot(meta("listenq_listeners_dropped",
                "Listener series left out because of --max-listeners, summed over rounds.", null),
                List.of(counterPoint(Labels.EMPTY, s.listenersDropped()))));
    }

    private static List<GaugeDataPointSnapshot> points(List<ListenerSample> listeners, List<Labels> labels,
                                                       ToDoubleFunction<ListenerSample> value) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            double v = value.applyAsDouble(listeners.get(i));
            if (!Double.isNaN(v)) {
                points.add(point(labels.get(i), v));
            }
        }
        return points;
    }

    private static List<CounterDataPointSnapshot> counterPoints(List<ListenerSample> listeners, List<Labels> labels,
                                                                ToDoubleFunction<ListenerSample> value) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            double v = value.applyAsDouble(listeners.get(i));
            if (!Double.isNaN(v)) {
                points.add(counterPoint(labels.get(i), v));
            }
        }
        return points;
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        return new GaugeSnapshot(meta(name, help, null), points);
    }

    private static io.prometheus.metrics.model.snapshots.MetricMetadata meta(String name, String help, Unit unit) {
        return new io.prometheus.metrics.model.snapshots.MetricMetadata(name, help, unit);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }

    private static CounterDataPointSnapshot counterPoint(Labels labels, double value) {
        return new CounterDataPointSnapshot(value, labels, null, 0);
    }

    /** Kernel counters are u64: read the long's bits as unsigned. */
    static double unsigned(long v) {
        return v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
    }
}
