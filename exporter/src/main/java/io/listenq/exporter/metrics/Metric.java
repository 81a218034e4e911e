package io.listenq.exporter.metrics;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.sample.NetnsCounter;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metric catalog: every listenq_ family the exporter serves, with its name, type, unit, help and label names.
 * {@link ListenqCollector} serves the {@link Source#SNAPSHOT} families and declares them
 * ({@link ListenqCollector#getPrometheusNames()}); {@link SelfMetrics} registers the {@link Source#MICROMETER} ones
 * under these names. Tests check the golden file, the rules and dashboards, the README's tables and the Micrometer
 * output against it ({@code MetricCatalogTest}, {@code SelfMetricsTest}).
 *
 * <p>Adding a metric: one constant here, the code that fills it in {@link ListenqCollector}, a row in the README
 * table of its section, and the golden file regenerated; the test names whichever is missing.
 */
public enum Metric {
    // Per namespace: kernel counters (the help names the column and file).
    LISTEN_OVERFLOWS(Family.counter(
            NetnsCounter.LISTEN_OVERFLOWS,
            "listenq_listen_overflows",
            "Times a full accept queue made the kernel drop a SYN or final ACK")),
    LISTEN_DROPS(Family.counter(
            NetnsCounter.LISTEN_DROPS,
            "listenq_listen_drops",
            "SYNs and ACKs dropped by listeners for any reason (includes overflows)")),
    SYN_QUEUE_DROPS(Family.counter(
            NetnsCounter.SYN_QUEUE_DROPS,
            "listenq_syn_queue_drops",
            "SYNs dropped because the SYN queue was full and syncookies were off")),
    SYN_QUEUE_COOKIES(Family.counter(
            NetnsCounter.SYN_QUEUE_COOKIES,
            "listenq_syn_queue_cookies",
            "SYN cookies sent because the SYN queue was full (every SYN when tcp_syncookies=2)")),
    SYNCOOKIES_SENT(Family.counter(NetnsCounter.SYNCOOKIES_SENT, "listenq_syncookies_sent", "SYN cookies sent")),
    SYNCOOKIES_RECEIVED(Family.counter(
            NetnsCounter.SYNCOOKIES_RECEIVED, "listenq_syncookies_received", "Valid SYN cookies received back")),
    SYNCOOKIES_FAILED(Family.counter(
            NetnsCounter.SYNCOOKIES_FAILED, "listenq_syncookies_failed", "Invalid SYN cookies received")),
    TCP_PASSIVE_OPENS(Family.counter(
            NetnsCounter.PASSIVE_OPENS,
            "listenq_tcp_passive_opens",
            "Connections created by listeners (each one entered an accept queue)")),

    // Per namespace: sysctls (the help names the sysctl and its file).
    SOMAXCONN(Family.sysctl(
            Sysctl.SOMAXCONN, "listenq_somaxconn", "Upper bound of every listen() backlog in the namespace")),
    TCP_MAX_SYN_BACKLOG(Family.sysctl(
            Sysctl.TCP_MAX_SYN_BACKLOG,
            "listenq_tcp_max_syn_backlog",
            "SYN-queue reservation threshold used when syncookies are off")),
    TCP_SYNCOOKIES(Family.sysctl(
            Sysctl.TCP_SYNCOOKIES,
            "listenq_tcp_syncookies",
            "0 off, 1 cookies when the SYN queue is full, 2 cookies always")),
    TCP_ABORT_ON_OVERFLOW(Family.sysctl(
            Sysctl.TCP_ABORT_ON_OVERFLOW,
            "listenq_tcp_abort_on_overflow",
            "1 when a full accept queue resets the connection instead of dropping the ACK")),

    // Per listener.
    ACCEPT_QUEUE_LENGTH(Family.snapshot(
            Type.GAUGE,
            "listenq_accept_queue_length",
            null,
            LabelSets.LISTENER,
            "Connections waiting in the accept queue (sk_ack_backlog: inet_diag idiag_rqueue, "
                    + "unix_diag UNIX_DIAG_RQLEN), summed over an SO_REUSEPORT group.")),
    ACCEPT_QUEUE_BACKLOG(Family.snapshot(
            Type.GAUGE,
            "listenq_accept_queue_backlog",
            null,
            LabelSets.LISTENER,
            "Accept queue limit (sk_max_ack_backlog = min(listen backlog, somaxconn): inet_diag idiag_wqueue, "
                    + "UNIX_DIAG_RQLEN); the kernel drops when the length exceeds it.")),
    ACCEPT_QUEUE_PEAK_LENGTH(Family.snapshot(
            Type.GAUGE,
            "listenq_accept_queue_peak_length",
            null,
            LabelSets.LISTENER,
            "Largest accept queue length sampled within --peak.window.")),
    ACCEPT_QUEUE_FULL_SECONDS(Family.snapshot(
            Type.COUNTER,
            "listenq_accept_queue_full_seconds",
            Unit.SECONDS,
            LabelSets.LISTENER,
            "Sampled time the accept queue was full (length > backlog, the kernel's sk_acceptq_is_full).")),
    LISTENER_DROPS(Family.snapshot(
            Type.COUNTER,
            "listenq_listener_drops",
            null,
            LabelSets.LISTENER,
            "SYNs and ACKs the kernel dropped on this TCP listener (sk_drops, inet_diag "
                    + "INET_DIAG_SKMEMINFO SK_MEMINFO_DROPS; ss -m d<N>).")),
    SYN_QUEUE_LENGTH(Family.snapshot(
            Type.GAUGE,
            "listenq_syn_queue_length",
            null,
            LabelSets.LISTENER,
            "Request sockets in SYN-RECV for this TCP address and port (inet_diag dump of TCP_SYN_RECV).")),
    LISTENER_SOCKETS(Family.snapshot(
            Type.GAUGE,
            "listenq_listener_sockets",
            null,
            LabelSets.LISTENER,
            "Listening sockets behind this series: 1, or the size of its SO_REUSEPORT group.")),
    LISTENER_INFO(Family.snapshot(
            Type.GAUGE,
            "listenq_listener_info",
            null,
            List.of("netns", "family", "address", "port", "cgroup", "unit", "container_id", "pod_uid"),
            "Owner of a TCP listener: the cgroup v2 path of the socket's creator (inet_diag INET_DIAG_CGROUP_ID, "
                    + "resolved under the cgroup2 mount), its systemd unit, container and pod; empty when unknown; "
                    + "always 1.")),

    // Namespaces.
    NETNS_INFO(Family.snapshot(
            Type.GAUGE,
            "listenq_netns_info",
            null,
            List.of("netns", "name", "pid", "comm", "container_id", "pod_uid"),
            "Identity of a sampled network namespace (ip netns name, lowest pid inside, container and pod); "
                    + "always 1. Join on netns.")),
    NETNS(Family.snapshot(
            Type.GAUGE, "listenq_netns", null, List.of(), "Network namespaces sampled in the last round.")),
    NETNS_ERRORS(Family.snapshot(
            Type.COUNTER,
            "listenq_netns_errors",
            null,
            List.of("reason"),
            "Namespaces skipped in a round, by reason (vanished, permission, ...).")),

    // The exporter itself.
    BUILD_INFO(Family.snapshot(
            Type.GAUGE,
            "listenq_build_info",
            null,
            List.of("version", "revision", "java_version"),
            "Version, git revision and Java runtime of listenq-exporter; always 1.")),
    COLLECTOR_SUCCESS(Family.snapshot(
            Type.GAUGE,
            "listenq_collector_success",
            null,
            List.of("collector"),
            "1 when the collector succeeded in every sampled namespace in the last round.")),
    COLLECTOR_DURATION_SECONDS(Family.snapshot(
            Type.GAUGE,
            "listenq_collector_duration_seconds",
            Unit.SECONDS,
            List.of("collector"),
            "Time the collector took in the last round, summed over namespaces.")),
    LAST_SAMPLE_TIMESTAMP_SECONDS(Family.snapshot(
            Type.GAUGE,
            "listenq_last_sample_timestamp_seconds",
            Unit.SECONDS,
            List.of(),
            "Unix time at which the last sampling round ended.")),
    SAMPLE_ROUND_DURATION_SECONDS(Family.snapshot(
            Type.GAUGE,
            "listenq_sample_round_duration_seconds",
            Unit.SECONDS,
            List.of(),
            "Wall time of the last sampling round, every namespace and collector included.")),
    LISTENERS_DROPPED(Family.snapshot(
            Type.GAUGE,
            "listenq_listeners_dropped",
            null,
            List.of(),
            "Listener series left out of the last round because of --max-listeners.")),

    // The exporter's work over time: Micrometer meters (SelfMetrics) in the same registry, not the snapshot's.
    SAMPLE_ROUNDS_SECONDS(Family.micrometer(
            Type.HISTOGRAM,
            "listenq_sample_rounds_seconds",
            List.of(),
            "Wall time of every sampling round (listenq_sample_round_duration_seconds is the last).")),
    COLLECTOR_RUNS_SECONDS(Family.micrometer(
            Type.SUMMARY,
            "listenq_collector_runs_seconds",
            List.of("collector"),
            "Time a collector took per round in which it ran, summed over namespaces.")),
    COLLECTOR_FAILURES(Family.micrometer(
            Type.COUNTER,
            "listenq_collector_failures",
            List.of("collector"),
            "Rounds in which the collector failed in at least one namespace.")),
    SCRAPES_SECONDS(Family.micrometer(
            Type.SUMMARY,
            "listenq_scrapes_seconds",
            List.of("format", "compression"),
            "Scrapes of the telemetry path answered, and the time from request to body sent.")),
    SCRAPES_REJECTED(Family.micrometer(
            Type.COUNTER,
            "listenq_scrapes_rejected",
            List.of(),
            "Scrapes answered 503 because --web.max-requests scrapes were already running."));

    /** The types the exporter uses: the snapshot's families are counters and gauges. */
    public enum Type {
        COUNTER,
        GAUGE,
        HISTOGRAM,
        SUMMARY
    }

    /** Who fills a family: {@link ListenqCollector} from the round's snapshot, or a Micrometer meter. */
    public enum Source {
        SNAPSHOT,
        MICROMETER
    }

    /** Label sets shared by several families. */
    static final class LabelSets {
        static final List<String> NETNS = List.of("netns");
        static final List<String> LISTENER = List.of("netns", "family", "address", "port");

        private LabelSets() {}
    }

    private final Family family;

    Metric(Family family) {
        this.family = family;
    }

    public Type type() {
        return family.type();
    }

    public Source source() {
        return family.source();
    }

    /** The families of this source, in catalog order. */
    public static List<Metric> from(Source source) {
        return Arrays.stream(values()).filter(m -> m.source() == source).toList();
    }

    /** The name as registered: without {@code _total}, which the exposition appends to counters. */
    public String metricName() {
        return family.name();
    }

    /** The name as scraped and queried: counters end in {@code _total}. */
    public String exposedName() {
        return type() == Type.COUNTER ? family.name() + "_total" : family.name();
    }

    /** Label names, in the order the collector sets them. */
    public List<String> labels() {
        return family.labels();
    }

    public String help() {
        return family.help();
    }

    /** The base unit ({@code _seconds}), if the name carries one. */
    public Optional<Unit> unit() {
        return family.unit();
    }

    /** The kernel counter this family exports, for the per-namespace counters. */
    public Optional<NetnsCounter> counter() {
        return family.counter();
    }

    /** The sysctl this family exports, for the per-namespace sysctl gauges. */
    public Optional<Sysctl> sysctl() {
        return family.sysctl();
    }

    MetricMetadata metadata() {
        return new MetricMetadata(family.name(), family.help(), family.unit().orElse(null));
    }
}
