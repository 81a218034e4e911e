package io.listenq.exporter.sample;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import io.listenq.collectors.procfs.CounterKey;
import io.listenq.collectors.procfs.CounterSelection;
import io.listenq.collectors.procfs.NetCounterFiles;
import io.listenq.collectors.procfs.ProcNet;
import io.listenq.collectors.procfs.SelectedCounters;
import io.listenq.collectors.procfs.Sysctl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Samples one network namespace. It must be called on the sampler thread while that thread is inside the
 * namespace: its sock_diag socket and procfs files are opened there on first use and then cached (they stay
 * bound to the namespace), and sysctls are read through {@code /proc/sys}, which resolves against the calling
 * thread's namespace (docs/kernel.md §7). Each kernel source is one collector: a failure in one is recorded and
 * reported, and the others are still served.
 *
 * <p>With skipping on, an idle namespace costs one read of net/snmp and net/sockstat(6) and a unix dump per
 * round; everything else is read only when something it depends on can have changed (see README, "Sampling").
 */
final class NamespaceReader implements AutoCloseable {
    static final String NETSTAT = "netstat";
    static final String SYSCTL = "sysctl";
    static final String TCP = "tcp_listeners";
    static final String SYN_RECV = "syn_recv";
    static final String UNIX = "unix_listeners";
    static final List<String> COLLECTORS = List.of(NETSTAT, SYSCTL, TCP, SYN_RECV, UNIX);

    /** What a round must re-read whatever the counters say: spread over rounds by {@link Targets}. */
    enum Turn {
        /** Only what the counters call for. */
        NORMAL,
        /**
         * Also the TCP dumps (finds a listener closed and another opened between two rounds) and the sysctls
         * (opening four /proc/sys files costs ~0.4 ms, more than the rest of an idle round).
         */
        FULL
    }

    private static final NetnsCounter[] COUNTERS = NetnsCounter.values();
    /** Tcp InSegs rises for every TCP segment the namespace receives (tcp_v4_rcv, tcp_v6_rcv): not exported. */
    private static final CounterKey IN_SEGS = new CounterKey("Tcp", "InSegs");
    private static final int IN_SEGS_INDEX = COUNTERS.length;
    private static final CounterSelection SELECTION = selection();
    /** Counters that move whenever a TCP queue or a listener's drop count can have changed. */
    private static final int[] WATCHED = {NetnsCounter.PASSIVE_OPENS.ordinal(), NetnsCounter.LISTEN_DROPS.ordinal(),
            NetnsCounter.LISTEN_OVERFLOWS.ordinal(), NetnsCounter.SYN_QUEUE_DROPS.ordinal(),
            NetnsCounter.SYN_QUEUE_COOKIES.ordinal()};
    /** Counters whose movement means a SYN queue may hold requests worth counting. */
    private static final int[] TROUBLE = {NetnsCounter.LISTEN_DROPS.ordinal(), NetnsCounter.SYN_QUEUE_DROPS.ordinal(),
            NetnsCounter.SYN_QUEUE_COOKIES.ordinal()};

    private final String netns;
    /** For log lines; built once, not every round. */
    private final String where;
    private final Path procfs;
    private final boolean skipIdle;
    private final ListenerDumps.Opener opener;
    private final SynQueueCounter synQueue;
    private ListenerDumps diag;
    private NetCounterFiles counterFiles;

    /** Last value of each selected counter, and which are present (bit i for index i). */
    private final long[] counters = new long[SELECTION.keys().size()];
    private long present;
    private boolean haveCounters;
    private boolean netstatOk;
    private long tcpInUse = -1;

    private final long[] countersAtDump = new long[SELECTION.keys().size()];
    private long tcpInUseAtDump = -1;
    private boolean lastDumpIdle;
    private List<TcpListener> lastTcp = List.of();

    private Map<Sysctl, Long> sysctls;
    private boolean sysctlsOk;
    private List<UnixListener> lastUnix;
    private NamespaceSample lastSample;

    /** @param opener where the sock_diag dumps come from (a test seam too) */
    NamespaceReader(String netns, Path procfs, long synQueueIntervalNanos, boolean skipIdle,
                    ListenerDumps.Opener opener) {
        this.netns = netns;
        this.where = "netns " + netns;
        this.procfs = procfs;
        this.skipIdle = skipIdle;
        this.opener = opener;
        this.synQueue = new SynQueueCounter(netns, synQueueIntervalNanos);
    }

    private static CounterSelection selection() {
        List<CounterKey> keys = new ArrayList<>();
        for (NetnsCounter c : COUNTERS) {
            keys.add(c.key());
        }
        keys.add(IN_SEGS);
        return new CounterSelection(keys);
    }

    /** Reads what the round needs; never throws for a kernel-side problem, which goes to stats and problems. */
    NamespaceSample sample(NetnsIdentity identity, RoundStats stats, ProblemLog problems, Turn turn) {
        boolean fresh = readCounters(stats, problems, where, turn);

        boolean sysctlsRead = !skipIdle || turn == Turn.FULL || sysctls == null;
        if (sysctlsRead) {
            sysctls = readSysctls(stats, problems, where);
        } else {
            stats.reused(SYSCTL, sysctlsOk);
        }

        List<TcpListener> tcp;
        Map<ListenerKey, Long> syn;
        boolean tcpSkipped = canSkipTcp(turn);
        if (tcpSkipped) {
            tcp = lastTcp;
            syn = synQueue.last();
            stats.reused(TCP, true);
            stats.reused(SYN_RECV, synQueue.lastOk());
        } else {
            tcp = dumpTcp(stats, problems, where);
            syn = null;
            if (tcp != null) {
                syn = synQueue.counts(tcp, pick(TROUBLE), diagQuietly(), stats, problems, where);
                if (!synQueue.lastOk()) {
                    closeDiag();
                }
            }
            rememberDump(tcp, syn);
            tcp = tcp == null ? List.of() : tcp;
        }

        long t = System.nanoTime();
        List<UnixListener> unix = List.of();
        try {
            // never skipped: nothing counts unix connections (docs/kernel.md §4); unix_diag walks only this
            // namespace's sockets
            unix = diag().unixListeners();
            stats.record(UNIX, System.nanoTime() - t, true);
        } catch (IOException | RuntimeException e) {
            stats.record(UNIX, System.nanoTime() - t, false);
            problems.report(UNIX, e, where);
            closeDiag();
        }
        if (tcpSkipped && !fresh && !sysctlsRead && lastSample != null && unix.equals(lastUnix)
                && identity.equals(lastSample.identity())) {
            return lastSample; // nothing changed: the same object, so later stages can tell at once
        }
        lastUnix = unix;
        lastSample = new NamespaceSample(netns, identity, counterMap(), sysctls,
                ListenerGroups.group(netns, tcp, syn, unix));
        return lastSample;
    }

    /**
     * Reads net/snmp and sockstat every round, net/netstat only when a TCP segment arrived since (every TcpExt
     * counter we export moves only on receiving one). Returns whether any value may have changed.
     */
    private boolean readCounters(RoundStats stats, ProblemLog problems, String where, Turn turn) {
        long t = System.nanoTime();
        try {
            NetCounterFiles files = counterFiles();
            long inSegsBefore = counters[IN_SEGS_INDEX];
            long inUseBefore = tcpInUse;
            absorb(files.readSnmp(SELECTION), "Tcp");
            tcpInUse = files.tcpInUse();
            boolean segments = !haveCounters || counters[IN_SEGS_INDEX] != inSegsBefore;
            boolean fresh = segments || tcpInUse != inUseBefore;
            if (!skipIdle || segments || turn == Turn.FULL || !netstatOk) {
                absorb(files.readNetstat(SELECTION), "TcpExt");
                netstatOk = true;
            }
            haveCounters = true;
            boolean complete = Long.bitCount(present) == SELECTION.keys().size();
            if (!complete) {
                problems.report(NETSTAT, new IOException("kernel lacks columns " + missing()), where);
            }
            stats.record(NETSTAT, System.nanoTime() - t, complete);
            return fresh;
        } catch (IOException | RuntimeException e) {
            stats.record(NETSTAT, System.nanoTime() - t, false);
            problems.report(NETSTAT, e, where);
            closeCounterFiles();
            haveCounters = false;
            netstatOk = false;
            present = 0;
            return true;
        }
    }

    /** Takes in one file's values: the keys of that file's prefix are replaced, present or not. */
    private void absorb(SelectedCounters read, String prefix) {
        long[] values = read.values();
        List<CounterKey> keys = SELECTION.keys();
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).prefix().equals(prefix)) {
                continue;
            }
            if (read.has(keys.get(i))) {
                counters[i] = values[i];
                present |= 1L << i;
            } else {
                present &= ~(1L << i);
            }
        }
    }

    private Map<NetnsCounter, Long> counterMap() {
        Map<NetnsCounter, Long> out = new EnumMap<>(NetnsCounter.class);
        for (NetnsCounter c : COUNTERS) {
            if ((present & (1L << c.ordinal())) != 0) {
                out.put(c, counters[c.ordinal()]);
            }
        }
        return out;
    }

    private long[] pick(int[] indexes) {
        long[] out = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = counters[indexes[i]];
        }
        return out;
    }

    private String missing() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SELECTION.keys().size(); i++) {
            if ((present & (1L << i)) == 0) {
                names.add(SELECTION.keys().get(i).toString());
            }
        }
        return String.join(", ", names);
    }

    /**
     * Whether last round's TCP listeners still stand without a dump (docs/kernel.md §5). A child socket enters an
     * accept queue only when a handshake completes, which raises Tcp PassiveOpens; a listener's drop always
     * raises TcpExt ListenDrops; a full SYN queue raises TCPReqQFullDrop or TCPReqQFullDoCookies; listen() and
     * close() move the namespace's TCP inuse count. So if the last dump saw every accept and SYN queue empty and
     * none of those moved since, every queue is still empty, every drop count unchanged and the set of
     * listeners the same, unless one closed and another opened between two rounds: FULL turns find that.
     */
    private boolean canSkipTcp(Turn turn) {
        if (!skipIdle || turn == Turn.FULL || !lastDumpIdle || !haveCounters
                || Long.bitCount(present) != SELECTION.keys().size() || tcpInUse != tcpInUseAtDump) {
            return false;
        }
        for (int i : WATCHED) {
            if (counters[i] != countersAtDump[i]) {
                return false;
            }
        }
        return true;
    }

    private List<TcpListener> dumpTcp(RoundStats stats, ProblemLog problems, String where) {
        long t = System.nanoTime();
        try {
            ListenerDumps d = diag();
            List<TcpListener> tcp = new ArrayList<>(d.tcpListeners(Native.AF_INET));
            tcp.addAll(d.tcpListeners(Native.AF_INET6));
            stats.record(TCP, System.nanoTime() - t, true);
            return tcp;
        } catch (IOException | RuntimeException e) {
            stats.record(TCP, System.nanoTime() - t, false);
            problems.report(TCP, e, where);
            closeDiag();
            return null;
        }
    }

    /** The counters were read before the dump: a handshake completing in between makes the next round dump. */
    private void rememberDump(List<TcpListener> tcp, Map<ListenerKey, Long> syn) {
        // SYN counts unknown because nothing ever pointed at trouble count as idle; a failed dump does not
        boolean idle = tcp != null && synQueue.lastOk() && (syn == null || syn.isEmpty()) && haveCounters;
        if (idle) {
            for (TcpListener l : tcp) {
                if (l.acceptQueue() != 0) {
                    idle = false;
                    break;
                }
            }
        }
        lastDumpIdle = idle;
        lastTcp = tcp == null ? List.of() : List.copyOf(tcp);
        System.arraycopy(counters, 0, countersAtDump, 0, counters.length);
        tcpInUseAtDump = tcpInUse;
    }

    private Map<Sysctl, Long> readSysctls(RoundStats stats, ProblemLog problems, String where) {
        Map<Sysctl, Long> out = new EnumMap<>(Sysctl.class);
        long t = System.nanoTime();
        boolean ok = true;
        Path sys = procfs.resolve("sys");
        for (Sysctl s : Sysctl.values()) {
            try {
                out.put(s, s.read(sys));
            } catch (IOException | RuntimeException e) {
                ok = false;
                problems.report(SYSCTL, e, where);
            }
        }
        stats.record(SYSCTL, System.nanoTime() - t, ok);
        sysctlsOk = ok;
        return Map.copyOf(out);
    }

    /** Opened on first use, inside the namespace (thread-self resolves to it), then re-read every round. */
    private NetCounterFiles counterFiles() throws IOException {
        if (counterFiles == null) {
            counterFiles = NetCounterFiles.open(procfs, ProcNet.THREAD_SELF);
        }
        return counterFiles;
    }

    private void closeCounterFiles() {
        if (counterFiles != null) {
            try {
                counterFiles.close();
            } catch (IOException e) {
                // closing a procfs file cannot lose data; the fd is released either way
            }
            counterFiles = null;
        }
    }

    private ListenerDumps diag() throws IOException {
        if (diag == null) {
            diag = opener.open();
        }
        return diag;
    }

    /** The socket the TCP dump just used: open, since that dump succeeded. */
    private ListenerDumps diagQuietly() {
        return Objects.requireNonNull(diag, "sock_diag socket");
    }

    private void closeDiag() {
        if (diag != null) {
            diag.close();
            diag = null;
        }
    }

    @Override
    public void close() {
        closeDiag();
        closeCounterFiles();
    }
}
