package io.listenq.exporter.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exporter's metric names as exposed (counters with {@code _total}), from the project's metric
 * contract. Rules and dashboards may only use these: promtool parses a misspelt metric name
 * without complaint, and the query then silently returns nothing.
 */
final class MetricContract {

    static final Set<String> NAMES = Set.of(
            // Per namespace: TcpExt / Tcp counters and sysctls.
            "listenq_listen_overflows_total",
            "listenq_listen_drops_total",
            "listenq_syn_queue_drops_total",
            "listenq_syn_queue_cookies_total",
            "listenq_syncookies_sent_total",
            "listenq_syncookies_received_total",
            "listenq_syncookies_failed_total",
            "listenq_tcp_passive_opens_total",
            "listenq_somaxconn",
            "listenq_tcp_max_syn_backlog",
            "listenq_tcp_syncookies",
            "listenq_tcp_abort_on_overflow",
            // Per listener.
            "listenq_accept_queue_length",
            "listenq_accept_queue_backlog",
            "listenq_accept_queue_peak_length",
            "listenq_accept_queue_full_seconds_total",
            "listenq_listener_drops_total",
            "listenq_syn_queue_length",
            "listenq_listener_sockets",
            // Namespace identity.
            "listenq_netns_info",
            "listenq_listener_info",
            "listenq_netns",
            "listenq_netns_errors_total",
            // Self.
            "listenq_collector_success",
            "listenq_collector_duration_seconds",
            "listenq_last_sample_timestamp_seconds",
            "listenq_build_info",
            "listenq_listeners_dropped_total");

    /** Exporter metric names ({@code listenq_...}, not recorded {@code listenq:...}) used in text. */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:])listenq_[a-z0-9_]+");

    private MetricContract() {}

    /** The {@code listenq_} metric names in {@code text} that are not in the contract. */
    static Set<String> unknownNames(String text) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            if (!NAMES.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }

    /** All {@code listenq_} metric names in {@code text}. */
    static Set<String> names(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
