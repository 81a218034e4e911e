package io.listenq.collectors.procfs;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code net/netstat}, {@code net/snmp}, {@code net/sockstat} and {@code net/sockstat6} of one network namespace,
 * opened once and re-read every round.
 *
 * <p>The namespace is fixed at open time: {@code /proc/<pid>/net} and {@code /proc/thread-self/net} resolve to
 * the task's namespace then, and the open seq_file keeps reading it (and keeps it alive) from any thread
 * afterwards (docs/kernel.md §7). So open it on the thread that {@code setns}'d into the namespace, and
 * close it when the namespace leaves the enumeration: the files are raw descriptors ({@link NativeFiles}), which
 * nothing else closes. Not thread-safe.
 */
public final class NetCounterFiles implements AutoCloseable {
    private final String netstatName;
    private final String snmpName;
    private final String sockstatName;
    private final String sockstat6Name;
    private final int netstat;
    private final int snmp;
    private final int sockstat;
    /** -1 on a kernel without IPv6 (no sockstat6). */
    private final int sockstat6;
    /** Set by {@link #close()}: the fd numbers may then belong to files opened since. */
    private boolean closed;
    /**
     * net/snmp as {@link #snmpChanged()} last read it: what this namespace's next read is compared with. Sized by
     * the first copy to the file (~1.2 KiB), not more: there is one per namespace.
     */
    private final ProcBytes lastSnmp = new ProcBytes(0);

    private long nonIpSockets = -1;
    /**
     * Where every namespace's files are read before they are compared or parsed: one buffer per thread (the
     * sampler's), so that a namespace keeps only what it compares with.
     */
    private static final ThreadLocal<ProcBytes> SCRATCH = ThreadLocal.withInitial(() -> new ProcBytes(16 * 1024));

    private NetCounterFiles(Path net, int netstat, int snmp, int sockstat, int sockstat6) {
        // interned: opened through /proc/thread-self, every namespace's files have the same names
        this.netstatName = net.resolve("netstat").toString().intern();
        this.snmpName = net.resolve("snmp").toString().intern();
        this.sockstatName = net.resolve("sockstat").toString().intern();
        this.sockstat6Name = net.resolve("sockstat6").toString().intern();
        this.netstat = netstat;
        this.snmp = snmp;
        this.sockstat = sockstat;
        this.sockstat6 = sockstat6;
    }

    /** Opens the files under {@code <procRoot>/<pid>/net}; pid may be {@link ProcNet#THREAD_SELF}. */
    public static NetCounterFiles open(Path procRoot, String pid) throws IOException {
        Path net = ProcNet.netDir(procRoot, pid);
        int netstat = -1;
        int snmp = -1;
        int sockstat = -1;
        int sockstat6 = -1;
        try {
            netstat = NativeFiles.openRead(net.resolve("netstat"));
            snmp = NativeFiles.openRead(net.resolve("snmp"));
            sockstat = NativeFiles.openRead(net.resolve("sockstat"));
            try {
                sockstat6 = NativeFiles.openRead(net.resolve("sockstat6"));
            } catch (NoSuchFileException e) {
                // IPv6 disabled: no TCP6 sockets to count
            }
            return new NetCounterFiles(net, netstat, snmp, sockstat, sockstat6);
        } catch (IOException | RuntimeException e) {
            for (int fd : new int[] {netstat, snmp, sockstat, sockstat6}) {
                Native.close(fd); // -1 (not opened) is ignored
            }
            throw e;
        }
    }

    /** The selected counters of net/netstat (TcpExt, IpExt, ...), as they are now. */
    public SelectedCounters readNetstat(CounterSelection selection) throws IOException {
        requireOpen();
        return selection.parse(netstatName, ProcFile.readWhole(netstat, netstatName));
    }

    /** The selected counters of net/snmp (Ip, Tcp, Udp, ...), as they are now. */
    public SelectedCounters readSnmp(CounterSelection selection) throws IOException {
        requireOpen();
        return selection.parse(snmpName, ProcFile.readWhole(snmp, snmpName));
    }

    /**
     * Reads net/snmp again; false when it came back byte for byte as last time (so did every counter in it, and
     * there is nothing to parse). The bytes read are kept for {@link #snmp}.
     */
    public boolean snmpChanged() throws IOException {
        requireOpen();
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
        requireOpen();
        nonIpSockets = -1; // until both files parsed
        ProcBytes text = SCRATCH.get();
        text.readWhole(sockstat, sockstatName);
        long n = SockStat.inuse(sockstatName, text, "TCP");
        long others = SockStat.used(sockstatName, text) - SockStat.ipInUse(sockstatName, text);
        if (sockstat6 >= 0) {
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

    /** A read after close would read whatever file got the fd number since. */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("NetCounterFiles of " + snmpName + " are closed");
        }
    }

    /** Closes the four fds, once: a second call does nothing (a second close(2) could close another file). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Native.close(netstat);
        Native.close(snmp);
        Native.close(sockstat);
        Native.close(sockstat6);
    }
}
