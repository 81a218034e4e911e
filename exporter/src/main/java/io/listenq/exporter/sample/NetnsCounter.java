package io.listenq.exporter.sample;

/**
 * The per-namespace kernel counters we export, each with its column in /proc/&lt;pid&gt;/net/netstat or snmp.
 * The kernel's names are in include/uapi/linux/snmp.h (LINUX_MIB_LISTENOVERFLOWS ...) and their procfs
 * spelling in net/ipv4/proc.c (snmp4_net_list, snmp4_tcp_list).
 */
public enum NetnsCounter {
    LISTEN_OVERFLOWS("TcpExt", "ListenOverflows", "listenq_listen_overflows",
            "Times a full accept queue made the kernel drop a SYN or final ACK"),
    LISTEN_DROPS("TcpExt", "ListenDrops", "listenq_listen_drops",
            "SYNs and ACKs dropped by listeners for any reason (includes overflows)"),
    SYN_QUEUE_DROPS("TcpExt", "TCPReqQFullDrop", "listenq_syn_queue_drops",
            "SYNs dropped because the SYN queue was full and syncookies were off"),
    SYN_QUEUE_COOKIES("TcpExt", "TCPReqQFullDoCookies", "listenq_syn_queue_cookies",
            "SYN cookies sent because the SYN queue was full (every SYN when tcp_syncookies=2)"),
    SYNCOOKIES_SENT("TcpExt", "SyncookiesSent", "listenq_syncookies_sent",
            "SYN cookies sent"),
    SYNCOOKIES_RECEIVED("TcpExt", "SyncookiesRecv", "listenq_syncookies_received",
            "Valid SYN cookies received back"),
    SYNCOOKIES_FAILED("TcpExt", "SyncookiesFailed", "listenq_syncookies_failed",
            "Invalid SYN cookies received"),
    PASSIVE_OPENS("Tcp", "PassiveOpens", "listenq_tcp_passive_opens",
            "Connections created by listeners (each one entered an accept queue)");

    private final String prefix;
    private final String column;
    private final String metricName;
    private final String help;

    NetnsCounter(String prefix, String column, String metricName, String help) {
        this.prefix = prefix;
        this.column = column;
        this.metricName = metricName;
        this.help = help;
    }

    public String prefix() {
        return prefix;
    }

    public String column() {
        return column;
    }

    /** Name without {@code _total}: the exposition appends it to counters. */
    public String metricName() {
        return metricName;
    }

    public String help() {
        return help + " (" + prefix + " " + column + " from /proc/<pid>/net/"
                + (prefix.equals("Tcp") ? "snmp" : "netstat") + ").";
    }
}
