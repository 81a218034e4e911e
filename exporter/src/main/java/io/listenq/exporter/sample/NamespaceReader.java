package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import io.listenq.collectors.procfs.Sysctl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples one network namespace from its five kernel sources, on the sampler thread. Each source opens its fds
 * inside the namespace on first use (through the {@link NetnsEntry} it is given) and keeps them; they stay bound to
 * the namespace (docs/kernel.md §1, §7), so a round that opens nothing ({@link #needsEntry}) runs wherever the
 * thread is, without a setns. What is read in a round is {@link SkipPolicy}'s decision; how each read is timed, recorded and
 * reported is {@link Execution}'s. A failure in one source costs only that source.
 */
final class NamespaceReader implements AutoCloseable {
    private final String netns;
    /** For log lines; built once, not every round. */
    private final String where;

    private final SkipPolicy policy;
    private final DiagSocket socket;
    private final NetstatSource netstat;
    private final SysctlSource sysctls;
    private final TcpListenersSource tcp;
    private final SynRecvSource synRecv;
    private final UnixListenersSource unix;
    private Optional<SkipPolicy.LastDump> lastDump = Optional.empty();
    /** The watched counters of the last counters object: the same object while the counters stay the same one. */
    private NetnsCounters watchedOf;

    private Optional<SkipPolicy.Watched> watched = Optional.empty();
    private NamespaceSample lastSample;
    private List<TcpListener> lastListeners;
    private Optional<Map<ListenerKey, Long>> lastSyn = Optional.empty();
    private List<UnixListener> lastUnix;
    /**
     * The reads of every round, made once: a lambda capturing this round's turn and entry would be a new object
     * per namespace and round. They read {@link #turnNow} and {@link #entryNow}, set by {@link #sample}.
     */
    private final Execution.Read<NetnsCounters> readNetstat;

    private final Execution.Read<Map<Sysctl, Long>> readSysctls;
    private final Execution.Read<List<UnixListener>> readUnix;
    private SkipPolicy.Turn turnNow;
    private NetnsEntry entryNow;

    /** @param opener where the sock_diag dumps come from (a test seam too) */
    NamespaceReader(String netns, Path procfs, SkipPolicy policy, ListenerDumps.Opener opener) {
        this.netns = netns;
        this.where = "netns " + netns;
        this.policy = policy;
        this.socket = new DiagSocket(opener);
        this.netstat = new NetstatSource(procfs);
        this.sysctls = new SysctlSource(procfs);
        this.tcp = new TcpListenersSource(socket);
        this.synRecv = new SynRecvSource(netns, socket);
        this.unix = new UnixListenersSource(socket);
        this.readNetstat = () -> netstat.read(policy, turnNow, entryNow);
        this.readSysctls = () -> sysctls.read(entryNow);
        this.readUnix = () -> unix.read(entryNow);
    }

    String netns() {
        return netns;
    }

    /**
     * Whether this round's reads would open an fd (a new namespace, or fds dropped after a failure), which must
     * happen inside the namespace: the caller then enters it first.
     */
    boolean needsEntry(SkipPolicy.Turn turn) {
        return netstat.needsOpen()
                || socket.needsOpen()
                || (sysctls.needsOpen()
                        && policy.readSysctls(turn, sysctls.last().isPresent()));
    }

    /**
     * Reads what the round needs; never throws for a kernel-side problem. Returns last round's sample object itself
     * when nothing in it changed, so that later stages can tell at once (they compare by ==).
     */
    NamespaceSample sample(NetnsIdentity identity, Execution run, SkipPolicy.Turn turn, NetnsEntry entry) {
        turnNow = turn;
        entryNow = entry;
        NetnsCounters counters = run.execute(netstat, where, readNetstat).orElse(NetnsCounters.NONE);
        if (counters != watchedOf) {
            watchedOf = counters;
            watched = SkipPolicy.Watched.of(counters);
        }

        Map<Sysctl, Long> sys = policy.readSysctls(turn, sysctls.last().isPresent())
                ? run.execute(sysctls, where, readSysctls).orElse(Map.of())
                : run.reuse(sysctls).orElse(Map.of());

        List<TcpListener> listeners;
        Optional<Map<ListenerKey, Long>> syn;
        if (policy.dumpTcp(lastDump, watched, turn)) {
            Optional<List<TcpListener>> dumped = run.execute(tcp, where, () -> tcp.read(entry));
            listeners = dumped.orElse(List.of());
            syn = dumped.isPresent() ? synCounts(run, counters, listeners, entry) : Optional.empty();
            lastDump = dumped.isPresent()
                    ? Optional.of(SkipPolicy.LastDump.of(watched, listeners, synRecv.outcome()))
                    : Optional.empty();
        } else {
            listeners = run.reuse(tcp).orElse(List.of());
            syn = run.reuse(synRecv);
        }

        List<UnixListener> unixListeners =
                policy.dumpUnix(turn, lastUnixEmpty(), netstat.nonIpSockets(), socket.needsOpen() ? 0 : 1)
                        ? run.execute(unix, where, readUnix).orElse(List.of())
                        : run.reuse(unix).orElse(List.of());

        NamespaceSample last = lastSample;
        if (last != null
                && last.identity().equals(identity)
                && last.counters() == counters.exported()
                && last.sysctls() == sys
                && unchangedListeners(listeners, syn, unixListeners)) {
            return last;
        }
        lastListeners = listeners;
        lastSyn = syn;
        lastUnix = unixListeners;
        lastSample = new NamespaceSample(
                netns,
                identity,
                counters.exported(),
                sys,
                ListenerGroups.group(
                        netns,
                        listeners,
                        syn.orElse(null),
                        unixListeners,
                        last == null ? List.of() : last.listeners()));
        return lastSample;
    }

    /** The last unix dump succeeded and found no listener. */
    private boolean lastUnixEmpty() {
        Optional<List<UnixListener>> last = unix.last();
        return unix.lastOk().orElse(false) && last.isPresent() && last.get().isEmpty();
    }

    /** The same objects as last round: sources hand back their last value object when it did not change. */
    private boolean unchangedListeners(
            List<TcpListener> listeners, Optional<Map<ListenerKey, Long>> syn, List<UnixListener> unixListeners) {
        return listeners == lastListeners
                && unixListeners == lastUnix
                && (syn.isPresent() ? lastSyn.isPresent() && syn.get() == lastSyn.get() : lastSyn.isEmpty());
    }

    private Optional<Map<ListenerKey, Long>> synCounts(
            Execution run, NetnsCounters counters, List<TcpListener> listeners, NetnsEntry entry) {
        long now = System.nanoTime();
        if (synRecv.due(policy, SkipPolicy.SynSignals.of(counters, listeners), now)) {
            return run.execute(synRecv, where, () -> synRecv.read(listeners, now, entry));
        }
        return run.reuse(synRecv);
    }

    @Override
    public void close() {
        socket.close();
        netstat.close();
        sysctls.close();
    }
}
