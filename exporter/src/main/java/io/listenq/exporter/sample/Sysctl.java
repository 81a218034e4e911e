package io.listenq.exporter.sample;

/** The per-namespace sysctls that decide how listen queues behave (Documentation/networking/ip-sysctl.rst). */
public enum Sysctl {
    SOMAXCONN("net/core/somaxconn", "listenq_somaxconn",
            "Upper bound of every listen() backlog in the namespace"),
    TCP_MAX_SYN_BACKLOG("net/ipv4/tcp_max_syn_backlog", "listenq_tcp_max_syn_backlog",
            "SYN-queue reservation threshold used when syncookies are off"),
    TCP_SYNCOOKIES("net/ipv4/tcp_syncookies", "listenq_tcp_syncookies",
            "0 off, 1 cookies when the SYN queue is full, 2 cookies always"),
    TCP_ABORT_ON_OVERFLOW("net/ipv4/tcp_abort_on_overflow", "listenq_tcp_abort_on_overflow",
            "1 when a full accept queue resets the connection instead of dropping the ACK");

    private final String path;
    private final String metricName;
    private final String help;

    Sysctl(String path, String metricName, String help) {
        this.path = path;
        this.metricName = metricName;
        this.help = help;
    }

    /** Path below /proc/sys. */
    public String path() {
        return path;
    }

    public String metricName() {
        return metricName;
    }

    public String help() {
        return help + " (sysctl " + path.replace('/', '.') + ", /proc/sys/" + path + ").";
    }
}
