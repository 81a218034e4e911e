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
    LISTEN_OVERFLOWS(
            NetnsCounter.LISTEN_OVERFLOWS,
            "listenq_listen_overflows",
            "Times a full accept queue made the kernel drop a SYN or final ACK"),
    LISTEN_DROPS(
            NetnsCounter.LISTEN_DROPS,
            "listenq_listen_drops",
            "SYNs and ACKs dropped by listeners for any reason (includes overflows)"),
    SYN_QUEUE_DROPS(
            NetnsCounter.SYN_QUEUE_DROPS,
            "listenq_syn_queue_drops",
            "SYNs dropped because the SYN queue was full and syncookies were off"),
    SYN_QUEUE_COOKIES(
            NetnsCounter.SYN_QUEUE_COOKIES,
            "listenq_syn_queue_cookies",
            "SYN cookies sent because the SYN queue was full (every SYN when tcp_syncookies=2)"),
    SYNCOOKIES_SENT(NetnsCounter.SYNCOOKIES_SENT, "listenq_syncookies_sent", "SYN cookies sent"),
    SYNCOOKIES_RECEIVED(
            NetnsCounter.SYNCOOKIES_RECEIVED, "listenq_syncookies_received", "Valid SYN cookies received back"),
    SYNCOOKIES_FAILED(NetnsCounter.SYNCOOKIES_FAILED, "listenq_syncookies_failed", "Invalid SYN cookies received"),
    TCP_PASSIVE_OPENS(
            NetnsCounter.PASSIVE_OPENS,
            "listenq_tcp_passive_opens",
            "Connections created by listeners (each one entered an accept queue)"),

    // Per namespace: sysctls (the help names the sysctl and its file).
    SOMAXCONN(Sysctl.SOMAXCONN, "listenq_somaxconn", "Upper bound of every listen() backlog in the namespace"),
    TCP_MAX_SYN_BACKLOG(
            Sysctl.TCP_MAX_SYN_BACKLOG,
            "listenq_tcp_max_syn_backlog",
            "SYN-queue reservation threshold used when syncookies are off"),
    TCP_SYNCOOKIES(
            Sysctl.TCP_SYNCOOKIES,
            "listenq_tcp_syncookies",
            "0 off, 1 cookies when the SYN queue is full, 2 cookies always"),
    TCP_ABORT_ON_OVERFLOW(
            Sysctl.TCP_ABORT_ON_OVERFLOW,
            "listenq_tcp_abort_on_overflow",
            "1 when a full accept queue resets the connection instead of dropping the ACK"),

    // Per listener.
    ACCEPT_QUEUE_LENGTH(
            Type.GAUGE,
            "listenq_accept_queue_length",
            null,
            LabelSets.LISTENER,
            "Connections waiting in the accept queue (sk_ack_backlog: inet_diag idiag_rqueue, "
                    + "unix_diag UNIX_DIAG_RQLEN), summed over an SO_REUSEPORT group."),
    ACCEPT_QUEUE_BACKLOG(
            Type.GAUGE,
            "listenq_accept_queue_backlog",
            null,
            LabelSets.LISTENER,
            "Accept queue limit (sk_max_ack_backlog = min(listen backlog, somaxconn): inet_diag idiag_wqueue, "
                    + "UNIX_DIAG_RQLEN); the kernel drops when the length exceeds it."),
    ACCEPT_QUEUE_PEAK_LENGTH(
            Type.GAUGE,
            "listenq_accept_queue_peak_length",
            null,
            LabelSets.LISTENER,
            "Largest accept queue length sampled within --peak.window."),
    ACCEPT_QUEUE_FULL_SECONDS(
            Type.COUNTER,
            "listenq_accept_queue_full_seconds",
            Unit.SECONDS,
            LabelSets.LISTENER,
            "Sampled time the accept queue was full (length > backlog, the kernel's sk_acceptq_is_full)."),
    LISTENER_DROPS(
            Type.COUNTER,
            "listenq_listener_drops",
            null,
            LabelSets.LISTENER,
            "SYNs and ACKs the kernel dropped on this TCP listener (sk_drops, inet_diag "
                    + "INET_DIAG_SKMEMINFO SK_MEMINFO_DROPS; ss -m d<N>)."),
    SYN_QUEUE_LENGTH(
            Type.GAUGE,
            "listenq_syn_queue_length",
            null,
            LabelSets.LISTENER,
            "Request sockets in SYN-RECV for this TCP address and port (inet_diag dump of TCP_SYN_RECV)."),
    LISTENER_SOCKETS(
            Type.GAUGE,
            "listenq_listener_sockets",
            null,
            LabelSets.LISTENER,
            "Listening sockets behind this series: 1, or the size of its SO_REUSEPORT group."),
    LISTENER_INFO(
            Type.GAUGE,
            "listenq_listener_info",
            null,
            List.of("netns", "family", "address", "port", "cgroup", "unit", "container_id", "pod_uid"),
            "Owner of a TCP listener: the cgroup v2 path of the socket's creator (inet_diag INET_DIAG_CGROUP_ID, "
                    + "resolved under the cgroup2 mount), its systemd unit, container and pod; empty when unknown; "
                    + "always 1."),

    // Namespaces.
    NETNS_INFO(
            Type.GAUGE,
            "listenq_netns_info",
            null,
            List.of("netns", "name", "pid", "comm", "container_id", "pod_uid"),
            "Identity of a sampled network namespace (ip netns name, lowest pid inside, container and pod); "
                    + "always 1. Join on netns."),
    NETNS(Type.GAUGE, "listenq_netns", null, List.of(), "Network namespaces sampled in the last round."),
    NETNS_ERRORS(
            Type.COUNTER,
            "listenq_netns_errors",
            null,
            List.of("reason"),
            "Namespaces skipped in a round, by reason (vanished, permission, ...)."),

    // The exporter itself.
    BUILD_INFO(
            Type.GAUGE,
            "listenq_build_info",
            null,
            List.of("version", "revision", "java_version"),
            "Version, git revision and Java runtime of listenq-exporter; always 1."),
    COLLECTOR_SUCCESS(
            Type.GAUGE,
            "listenq_collector_success",
            null,
            List.of("collector"),
            "1 when the collector succeeded in every sampled namespace in the last round."),
    COLLECTOR_DURATION_SECONDS(
            Type.GAUGE,
            "listenq_collector_duration_seconds",
            Unit.SECONDS,
            List.of("collector"),
            "Time the collector took in the last round, summed over namespaces."),
    LAST_SAMPLE_TIMESTAMP_SECONDS(
            Type.GAUGE,
            "listenq_last_sample_timestamp_seconds",
            Unit.SECONDS,
            List.of(),
            "Unix time at which the last sampling round ended."),
    SAMPLE_ROUND_DURATION_SECONDS(
            Type.GAUGE,
            "listenq_sample_round_duration_seconds",
            Unit.SECONDS,
            List.of(),
            "Wall time of the last sampling round, every namespace and collector included."),
    LISTENERS_DROPPED(
            Type.GAUGE,
            "listenq_listeners_dropped",
            null,
            List.of(),
            "Listener series left out of the last round because of --max-listeners."),

    // The exporter's work over time: Micrometer meters (SelfMetrics) in the same registry, not the snapshot's.
    SAMPLE_ROUNDS_SECONDS(
            Source.MICROMETER,
            Type.HISTOGRAM,
            "listenq_sample_rounds_seconds",
            List.of(),
            "Wall time of every sampling round (listenq_sample_round_duration_seconds is the last)."),
    COLLECTOR_RUNS_SECONDS(
            Source.MICROMETER,
            Type.SUMMARY,
            "listenq_collector_runs_seconds",
            List.of("collector"),
            "Time a collector took per round in which it ran, summed over namespaces."),
    COLLECTOR_FAILURES(
            Source.MICROMETER,
            Type.COUNTER,
            "listenq_collector_failures",
            List.of("collector"),
            "Rounds in which the collector failed in at least one namespace."),
    SCRAPES_SECONDS(
            Source.MICROMETER,
            Type.SUMMARY,
            "listenq_scrapes_seconds",
            List.of("format", "compression"),
            "Scrapes of the telemetry path answered, and the time from request to body sent."),
    SCRAPES_REJECTED(
            Source.MICROMETER,
            Type.COUNTER,
            "listenq_scrapes_rejected",
            List.of(),
            "Scrapes answered 503 because --web.max-requests scrapes were already running.");

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

    private final Source source;
    private final Type type;
    private final String name;
    private final Unit unit;
    private final List<String> labels;
    private final String help;
    private final NetnsCounter counter;
    private final Sysctl sysctl;

    Metric(Type type, String name, Unit unit, List<String> labels, String help) {
        this(Source.SNAPSHOT, type, name, unit, labels, help, null, null);
    }

    /** A Micrometer timer (in seconds) or counter. */
    Metric(Source source, Type type, String name, List<String> labels, String help) {
        this(source, type, name, type == Type.COUNTER ? null : Unit.SECONDS, labels, help, null, null);
    }

    Metric(NetnsCounter counter, String name, String help) {
        this(
                Source.SNAPSHOT,
                Type.COUNTER,
                name,
                null,
                LabelSets.NETNS,
                help + " (" + counter.key().prefix() + " " + counter.key().name() + " from /proc/<pid>/net/"
                        + counter.file() + ").",
                counter,
                null);
    }

    Metric(Sysctl sysctl, String name, String help) {
        this(
                Source.SNAPSHOT,
                Type.GAUGE,
                name,
                null,
                LabelSets.NETNS,
                help + " (sysctl " + sysctl.dottedName() + ", /proc/sys/" + sysctl.path() + ").",
                null,
                sysctl);
    }

    private Metric(
            Source source,
            Type type,
            String name,
            Unit unit,
            List<String> labels,
            String help,
            NetnsCounter counter,
            Sysctl sysctl) {
        this.source = source;
        this.type = type;
        this.name = name;
        this.unit = unit;
        this.labels = labels;
        this.help = help;
        this.counter = counter;
        this.sysctl = sysctl;
    }

    public Type type() {
        return type;
    }

    public Source source() {
        return source;
    }

    /** The families of this source, in catalog order. */
    public static List<Metric> from(Source source) {
        return Arrays.stream(values()).filter(m -> m.source == source).toList();
    }

    /** The name as registered: without {@code _total}, which the exposition appends to counters. */
    public String metricName() {
        return name;
    }

    /** The name as scraped and queried: counters end in {@code _total}. */
    public String exposedName() {
        return type == Type.COUNTER ? name + "_total" : name;
    }

    /** Label names, in the order the collector sets them. */
    public List<String> labels() {
        return labels;
    }

    public String help() {
        return help;
    }

    /** The base unit ({@code _seconds}), if the name carries one. */
    public Optional<Unit> unit() {
        return Optional.ofNullable(unit);
    }

    /** The kernel counter this family exports, for the per-namespace counters. */
    public Optional<NetnsCounter> counter() {
        return Optional.ofNullable(counter);
    }

    /** The sysctl this family exports, for the per-namespace sysctl gauges. */
    public Optional<Sysctl> sysctl() {
        return Optional.ofNullable(sysctl);
    }

    MetricMetadata metadata() {
        return new MetricMetadata(name, help, unit);
    }
}
