package io.listenq.exporter.sample;

/**
 * The collectors a round reports in {@code listenq_collector_success} and {@code listenq_collector_duration_seconds}:
 * one per kernel source, plus namespace discovery.
 */
public enum CollectorName {
    /** net/snmp, net/sockstat(6) every round, net/netstat when a TCP segment arrived. */
    NETSTAT("netstat"),
    /** The four /proc/sys files of {@link Sysctl}. */
    SYSCTL("sysctl"),
    /** The sock_diag dump of TCP LISTEN sockets, IPv4 and IPv6. */
    TCP_LISTENERS("tcp_listeners"),
    /** The sock_diag dump of SYN-RECV request sockets. */
    SYN_RECV("syn_recv"),
    /** The unix_diag dump of listening unix sockets. */
    UNIX_LISTENERS("unix_listeners"),
    /** Namespace discovery (all mode) or the stat of the own namespace (self mode). */
    NETNS_DISCOVERY("netns_discovery"),
    /** The cgroup v2 paths of the TCP listeners' cgroup ids. */
    LISTENER_OWNERS("listener_owners");

    private final String label;

    CollectorName(String label) {
        this.label = label;
    }

    /** The {@code collector} label value. */
    public String label() {
        return label;
    }
}
