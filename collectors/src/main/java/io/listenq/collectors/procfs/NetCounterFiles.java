package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code net/netstat}, {@code net/snmp}, {@code net/sockstat} and {@code net/sockstat6} of one network namespace,
 * opened once and re-read every round.
 *
 * <p>The namespace is fixed at open time: {@code /proc/<pid>/net} and {@code /proc/thread-self/net} resolve to
 * the task's namespace then, and the open seq_file keeps reading it (and keeps it alive) from any thread
 * afterwards (docs/kernel.md §7). So open it on the thread that {@code setns}'d into the namespace, and
 * close it when the namespace leaves the enumeration.
 */
public final class NetCounterFiles implements AutoCloseable {
    private final String netstatName;
    private final String snmpName;
    private final String sockstatName;
    private final String sockstat6Name;
    private final FileChannel netstat;
    private final FileChannel snmp;
    private final FileChannel sockstat;
    /** Null on a kernel without IPv6 (no sockstat6). */
    private final FileChannel sockstat6;
    /** net/snmp as {@link #snmpChanged()} last read it: what this namespace's next read is compared with. */
    private final ProcBytes lastSnmp = new ProcBytes(2048);

    private long nonIpSockets = -1;
    /**
     * Where every namespace's files are read before they are compared or parsed: one buffer per thread (the
     * sampler's), so that a namespace keeps only what it compares with.
     */
    private static final ThreadLocal<ProcBytes> SCRATCH = ThreadLocal.withInitial(() -> new ProcBytes(16 * 1024));

    private NetCounterFiles(
            Path net, FileChannel netstat, FileChannel snmp, FileChannel sockstat, FileChannel sockstat6) {
        this.netstatName = net.resolve("netstat").toString();
        this.snmpName = net.resolve("snmp").toString();
        this.sockstatName = net.resolve("sockstat").toString();
        this.sockstat6Name = net.resolve("sockstat6").toString();
        this.netstat = netstat;
        this.snmp = snmp;
        this.sockstat = sockstat;
        this.sockstat6 = sockstat6;
    }

    /** Opens the files under {@code <procRoot>/<pid>/net}; pid may be {@link ProcNet#THREAD_SELF}. */
    public static NetCounterFiles open(Path procRoot, String pid) throws IOException {
        Path net = ProcNet.netDir(procRoot, pid);
        FileChannel netstat = null;
        FileChannel snmp = null;
        FileChannel sockstat = null;
        try {
            netstat = FileChannel.open(net.resolve("netstat"), StandardOpenOption.READ);
            snmp = FileChannel.open(net.resolve("snmp"), StandardOpenOption.READ);
            sockstat = FileChannel.open(net.resolve("sockstat"), StandardOpenOption.READ);
            FileChannel sockstat6 = null;
            try {
                sockstat6 = FileChannel.open(net.resolve("sockstat6"), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                // IPv6 disabled: no TCP6 sockets to count
            }
            return new NetCounterFiles(net, netstat, snmp, sockstat, sockstat6);
        } catch (IOException | RuntimeException e) {
            for (FileChannel ch : new FileChannel[] {netstat, snmp, sockstat}) {
                if (ch != null) {
                    ch.close();
                }
            }
            throw e;
        }
    }

    /** The selected counters of net/netstat (TcpExt, IpExt, ...), as they are now. */
    public SelectedCounters readNetstat(CounterSelection selection) throws IOException {
        return selection.parse(netstatName, ProcFile.readWhole(netstat, netstatName));
    }

    /** The selected counters of net/snmp (Ip, Tcp, Udp, ...), as they are now. */
    public SelectedCounters readSnmp(CounterSelection selection) throws IOException {
        return selection.parse(snmpName, ProcFile.readWhole(snmp, snmpName));
    }

    /**
     * Reads net/snmp again; false when it came back byte for byte as last time (so did every counter in it, and
     * there is nothing to parse). The bytes read are kept for {@link #snmp}.
     */
    public boolean snmpChanged() throws IOException {
        ProcBytes now = SCRATCH.get();
        try {
            now.readWhole(snmp, snmpName);
        } catch (IOException | RuntimeException e) {
            lastSnmp.clear();
            throw e;
        }
        if (now.contentEquals(lastSnmp)) {
            return false;
        }
        lastSnmp.copyFrom(now);
        return true;
    }

    /** The selected counters of net/snmp as {@link #snmpChanged()} last read it. */
    public SelectedCounters snmp(CounterSelection selection) throws ProcfsFormatException {
        try {
            return selection.parse(snmpName, lastSnmp.text());
        } catch (ProcfsFormatException | RuntimeException e) {
            lastSnmp.clear(); // parsed again next time, failing again if it still is garbled
            throw e;
        }
    }

    /** The selected counters of both files, as they are now. */
    public SelectedCounters read(CounterSelection selection) throws IOException {
        return readNetstat(selection).merge(readSnmp(selection));
    }

    /**
     * TCP sockets hashed in the namespace, IPv4 and IPv6 ({@link SockStat}): moves with every listen() and close.
     * The same read sets {@link #nonIpSockets()}.
     */
    public long tcpInUse() throws IOException {
        nonIpSockets = -1; // until both files parsed
        ProcBytes text = SCRATCH.get();
        text.readWhole(sockstat, sockstatName);
        long n = SockStat.inuse(sockstatName, text, "TCP");
        long others = SockStat.used(sockstatName, text) - SockStat.ipInUse(sockstatName, text);
        if (sockstat6 != null) {
            text.readWhole(sockstat6, sockstat6Name);
            n += SockStat.inuse(sockstat6Name, text, "TCP6");
            others -= SockStat.ipInUse(sockstat6Name, text);
        }
        nonIpSockets = others;
        return n;
    }

    /**
     * As of the last {@link #tcpInUse()}: the namespace's sockets less its hashed TCP, UDP, UDP-Lite and raw ones
     * (sockstat's {@code sockets: used} less every {@code inuse}), so unix, netlink, packet and not yet hashed
     * sockets; -1 when that read failed. 0 (or just the caller's own sockets) means the namespace holds no unix
     * socket at all. Sockets the kernel opens for itself are in no {@code used} count but may be in an {@code inuse}
     * one (a kernel UDP tunnel socket), so the difference can understate: a caller must treat it as a hint that is
     * checked again by a periodic full read, not as proof.
     */
    public long nonIpSockets() {
        return nonIpSockets;
    }

    @Override
    public void close() throws IOException {
        try (netstat;
                snmp;
                sockstat) {
            if (sockstat6 != null) {
                sockstat6.close();
            }
        }
    }
}
