package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.Native;
import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import io.listenq.collectors.procfs.CounterKey;
import io.listenq.collectors.procfs.CounterSelection;
import io.listenq.collectors.procfs.NetCounterFiles;
import io.listenq.collectors.procfs.ProcNet;
import io.listenq.collectors.procfs.SelectedCounters;
import io.listenq.collectors.procfs.Sysctls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Samples one network namespace. It must be called on the sampler thread while that thread is inside the
 * namespace: its sock_diag socket is created there on first use and then cached (it stays bound to the
 * namespace), and counters and sysctls are read through {@code /proc/thread-self} and {@code /proc/sys}, which
 * resolve against the calling thread's namespace (kernel.md §3). Each kernel source is one collector: a failure
 * in one is recorded and reported, and the others are still served.
 */
final class NamespaceReader implements AutoCloseable {
    static final String NETSTAT = "netstat";
    static final String SYSCTL = "sysctl";
    static final String TCP = "tcp_listeners";
    static final String SYN_RECV = "syn_recv";
    static final String UNIX = "unix_listeners";
    static final List<String> COLLECTORS = List.of(NETSTAT, SYSCTL, TCP, SYN_RECV, UNIX);

    private static final NetnsCounter[] COUNTERS = NetnsCounter.values();
    private static final CounterSelection SELECTION = selection();
    /** Indexes into {@link #COUNTERS} of the counters that move whenever a TCP queue can have changed. */
    private static final int[] WATCHED = {NetnsCounter.PASSIVE_OPENS.ordinal(), NetnsCounter.LISTEN_DROPS.ordinal(),
            NetnsCounter.LISTEN_OVERFLOWS.ordinal(), NetnsCounter.SYN_QUEUE_DROPS.ordinal(),
            NetnsCounter.SYN_QUEUE_COOKIES.ordinal()};

    private final String netns;
    private final Path procfs;
    private final long synQueueIntervalNanos;
    private final ListenerDumps.Opener opener;
    private ListenerDumps diag;
    private NetCounterFiles counterFiles;

    private final boolean skipIdle;
    private final long[] lastCounters = new long[COUNTERS.length];
    private final long[] countersAtDump = new long[COUNTERS.length];
    private boolean lastDumpIdle;
    private List<TcpListener> lastTcp = List.of();
    private Map<Sysctl, Long> sysctls;
    private boolean sysctlsOk;
    private boolean synOk = true;
    private boolean haveLastCounters;
    private long lastListenerDrops = -1;
    private long lastSynDumpNanos;
    private boolean synDumped;
    private Map<ListenerKey, Long> lastSyn = Map.of();

    NamespaceReader(String netns, Path procfs, long synQueueIntervalNanos, boolean skipIdle) {
        this(netns, procfs, synQueueIntervalNanos, skipIdle, ListenerDumps::open);
    }

    /** Test seam: where the sock_diag dumps come from. */
    NamespaceReader(String netns, Path procfs, long synQueueIntervalNanos, boolean skipIdle,
                    ListenerDumps.Opener opener) {
        this.netns = netns;
        this.procfs = procfs;
        this.synQueueIntervalNanos = synQueueIntervalNanos;
        this.skipIdle = skipIdle;
        this.opener = opener;
    }

    private static CounterSelection selection() {
        List<CounterKey> keys = new ArrayList<>();
        for (NetnsCounter c : NetnsCounter.values()) {
            keys.add(new CounterKey(c.prefix(), c.column()));
        }
        return new CounterSelection(keys);
    }

    /**
     * Reads everything; never throws for a kernel-side problem, which goes to {@code stats} and {@code problems}.
     *
     * @param refresh a full round: dump TCP listeners and re-read sysctls whatever the counters say (finds
     *                listeners that appeared in an idle namespace, and sysctl changes)
     */
    NamespaceSample sample(NetnsIdentity identity, RoundStats stats, ProblemLog problems, boolean refresh) {
        String where = "netns " + netns;
        Map<NetnsCounter, Long> counters = new EnumMap<>(NetnsCounter.class);
        long t = System.nanoTime();
        boolean countersMoved = true;
        boolean countersComplete = false;
        try {
            SelectedCounters read = counterFiles().read(SELECTION);
            countersMoved = collectCounters(read, counters);
            countersComplete = read.complete();
            if (!countersComplete) {
                problems.report(NETSTAT, new IOException("kernel lacks columns " + missing(read)), where);
            }
            stats.record(NETSTAT, System.nanoTime() - t, countersComplete);
        } catch (IOException | RuntimeException e) {
            stats.record(NETSTAT, System.nanoTime() - t, false);
            problems.report(NETSTAT, e, where);
            closeCounterFiles();
        }

        if (refresh || !skipIdle || sysctls == null) {
            sysctls = readSysctls(stats, problems, where);
        } else {
            stats.reused(SYSCTL, sysctlsOk);
        }

        List<TcpListener> tcp;
        Map<ListenerKey, Long> syn;
        if (canSkipTcp(refresh, countersComplete)) {
            tcp = lastTcp;
            syn = lastSyn;
            stats.reused(TCP, true);
            stats.reused(SYN_RECV, true);
        } else {
            tcp = dumpTcp(stats, problems, where);
            syn = tcp == null ? null : synRecv(tcp, countersMoved, stats, problems, where);
            rememberDump(tcp, syn, countersComplete);
            if (tcp == null) {
                tcp = List.of();
            }
        }

        t = System.nanoTime();
        List<UnixListener> unix = List.of();
        try {
            // not skipped: nothing counts unix connections (kernel.md §1), and unix_diag walks only this
            // namespace's sockets
            unix = diag().unixListeners();
            stats.record(UNIX, System.nanoTime() - t, true);
        } catch (IOException | RuntimeException e) {
            stats.record(UNIX, System.nanoTime() - t, false);
            problems.report(UNIX, e, where);
            closeDiag();
        }
        return new NamespaceSample(netns, identity, counters, sysctls, ListenerGroups.group(netns, tcp, syn, unix));
    }

    /**
     * Whether last round's TCP listeners still stand without a dump (kernel.md §7). A child socket enters an
     * accept queue only when a handshake completes, which raises Tcp PassiveOpens; a listener's drop always
     * raises TcpExt ListenDrops; a full SYN queue raises TCPReqQFullDrop or TCPReqQFullDoCookies. So if the
     * last dump saw every accept and SYN queue empty and none of those counters moved since, every queue is
     * still empty and every drop count unchanged. Only listeners opened or closed since can differ: refresh
     * rounds find them.
     */
    private boolean canSkipTcp(boolean refresh, boolean countersComplete) {
        if (!skipIdle || refresh || !countersComplete || !lastDumpIdle) {
            return false;
        }
        for (int i : WATCHED) {
            if (lastCounters[i] != countersAtDump[i]) {
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

    private void rememberDump(List<TcpListener> tcp, Map<ListenerKey, Long> syn, boolean countersComplete) {
        boolean idle = tcp != null && syn != null && syn.isEmpty() && countersComplete;
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
        System.arraycopy(lastCounters, 0, countersAtDump, 0, lastCounters.length);
    }

    /** Copies the selected counters; returns whether any of them moved since the last round. */
    private boolean collectCounters(SelectedCounters read, Map<NetnsCounter, Long> out) {
        boolean moved = !haveLastCounters;
        long[] values = read.values();
        for (int i = 0; i < COUNTERS.length; i++) {
            if (read.has(SELECTION.keys().get(i))) {
                out.put(COUNTERS[i], values[i]);
                moved |= values[i] != lastCounters[i];
                lastCounters[i] = values[i];
            }
        }
        haveLastCounters = true;
        return moved;
    }

    private static String missing(SelectedCounters read) {
        List<String> names = new ArrayList<>();
        for (CounterKey k : SELECTION.keys()) {
            if (!read.has(k)) {
                names.add(k.toString());
            }
        }
        return String.join(", ", names);
    }

    private Map<Sysctl, Long> readSysctls(RoundStats stats, ProblemLog problems, String where) {
        Map<Sysctl, Long> out = new EnumMap<>(Sysctl.class);
        long t = System.nanoTime();
        boolean ok = true;
        Path sys = procfs.resolve("sys");
        for (Sysctl s : Sysctl.values()) {
            try {
                out.put(s, Sysctls.readInteger(sys.resolve(s.path())));
            } catch (IOException | RuntimeException e) {
                ok = false;
                problems.report(SYSCTL, e, where);
            }
        }
        stats.record(SYSCTL, System.nanoTime() - t, ok);
        sysctlsOk = ok;
        return out;
    }

    /**
     * The SYN-RECV dump walks the host's whole established hash (kernel.md §1, §7), so it runs only when the
     * SYN queue can be non-empty: first round, a non-empty accept queue, listener drops or the namespace's
     * counters moving (every handshake, drop or cookie moves one of them), or requests seen last time; and
     * then at most once per --sample.syn-queue-interval. Otherwise the last counts stand.
     */
    private Map<ListenerKey, Long> synRecv(List<TcpListener> tcp, boolean countersMoved, RoundStats stats,
                                           ProblemLog problems, String where) {
        long drops = 0;
        boolean queued = false;
        for (TcpListener l : tcp) {
            drops += l.drops();
            queued |= l.acceptQueue() > 0;
        }
        boolean dropsMoved = drops != lastListenerDrops;
        lastListenerDrops = drops;
        boolean matters = !synDumped || queued || dropsMoved || countersMoved || !lastSyn.isEmpty();
        long now = System.nanoTime();
        if (!matters || (synDumped && now - lastSynDumpNanos < synQueueIntervalNanos)) {
            stats.reused(SYN_RECV, synOk);
            return lastSyn;
        }
        long t = System.nanoTime();
        try {
            List<SynRecv> requests = new ArrayList<>(diag().synRecv(Native.AF_INET));
            requests.addAll(diag().synRecv(Native.AF_INET6));
            lastSyn = ListenerGroups.countSynRecv(netns, tcp, requests);
            synDumped = true;
            lastSynDumpNanos = now;
            stats.record(SYN_RECV, System.nanoTime() - t, true);
            synOk = true;
            return lastSyn;
        } catch (IOException | RuntimeException e) {
            stats.record(SYN_RECV, System.nanoTime() - t, false);
            synOk = false;
            problems.report(SYN_RECV, e, where);
            closeDiag();
            return null;
        }
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
