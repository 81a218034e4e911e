package io.listenq.collectors.procfs;

import java.util.Objects;

/**
 * One column of {@code /proc/<pid>/net/netstat} or {@code /proc/<pid>/net/snmp}: the line prefix without
 * its colon ({@code TcpExt}, {@code Tcp}) and the column name ({@code ListenOverflows}).
 *
 * <p>The constants are the columns the exporter needs; their meaning is in the kernel's
 * {@code include/uapi/linux/snmp.h} ({@code LINUX_MIB_LISTENOVERFLOWS} ...) and the names come from the
 * {@code snmp4_net_list} / {@code snmp4_tcp_list} tables in {@code net/ipv4/proc.c}.
 */
public record CounterKey(String prefix, String name) {

    /** Accept queue full: SYN or final ACK dropped ({@code LINUX_MIB_LISTENOVERFLOWS}). */
    public static final CounterKey LISTEN_OVERFLOWS = new CounterKey("TcpExt", "ListenOverflows");
    /** Every SYN/ACK dropped by a listener, overflows included ({@code LINUX_MIB_LISTENDROPS}). */
    public static final CounterKey LISTEN_DROPS = new CounterKey("TcpExt", "ListenDrops");
    /** SYN dropped because the SYN queue was full and syncookies are off ({@code LINUX_MIB_TCPREQQFULLDROP}). */
    public static final CounterKey REQ_QFULL_DROP = new CounterKey("TcpExt", "TCPReqQFullDrop");
    /** SYN answered with a cookie because the SYN queue was full ({@code LINUX_MIB_TCPREQQFULLDOCOOKIES}). */
    public static final CounterKey REQ_QFULL_DO_COOKIES = new CounterKey("TcpExt", "TCPReqQFullDoCookies");

    public static final CounterKey SYNCOOKIES_SENT = new CounterKey("TcpExt", "SyncookiesSent");
    public static final CounterKey SYNCOOKIES_RECV = new CounterKey("TcpExt", "SyncookiesRecv");
    public static final CounterKey SYNCOOKIES_FAILED = new CounterKey("TcpExt", "SyncookiesFailed");
    /** Child sockets created by completed handshakes, i.e. accept queue arrivals ({@code TCP_MIB_PASSIVEOPENS}). */
    public static final CounterKey PASSIVE_OPENS = new CounterKey("Tcp", "PassiveOpens");

    public CounterKey {
        requireToken(prefix, "prefix");
        requireToken(name, "name");
    }

    private static void requireToken(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == ':' || c == '\n' || c == '\t') {
                throw new IllegalArgumentException(what + " contains '" + c + "': " + s);
            }
        }
    }

    @Override
    public String toString() {
        return prefix + ":" + name;
    }
}
