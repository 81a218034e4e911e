package io.listenq.exporter.sample;

import io.listenq.collectors.procfs.CounterKey;

/**
 * The per-namespace kernel counters the exporter keeps, each a column of /proc/&lt;pid&gt;/net/netstat or snmp
 * ({@link CounterKey} says which and where the kernel defines it). Their metric names and help live in the
 * metric catalog ({@code metrics.Metric}).
 */
public enum NetnsCounter {
    LISTEN_OVERFLOWS(CounterKey.LISTEN_OVERFLOWS),
    LISTEN_DROPS(CounterKey.LISTEN_DROPS),
    SYN_QUEUE_DROPS(CounterKey.REQ_QFULL_DROP),
    SYN_QUEUE_COOKIES(CounterKey.REQ_QFULL_DO_COOKIES),
    SYNCOOKIES_SENT(CounterKey.SYNCOOKIES_SENT),
    SYNCOOKIES_RECEIVED(CounterKey.SYNCOOKIES_RECV),
    SYNCOOKIES_FAILED(CounterKey.SYNCOOKIES_FAILED),
    PASSIVE_OPENS(CounterKey.PASSIVE_OPENS);

    private final CounterKey key;

    NetnsCounter(CounterKey key) {
        this.key = key;
    }

    /** The kernel's column: prefix ({@code TcpExt}, {@code Tcp}) and name. */
    public CounterKey key() {
        return key;
    }

    /** The file the column is in: {@code Tcp} lines are in snmp, {@code TcpExt} lines in netstat. */
    public String file() {
        return key.prefix().equals("Tcp") ? "snmp" : "netstat";
    }
}
