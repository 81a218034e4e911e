package io.listenq.exporter.sample;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Counts one namespace's SYN-RECV request sockets per listener, as rarely as exactness allows. The SYN-RECV dump
 * walks the host's whole established hash whatever namespace asks (docs/kernel.md §3, §9: ~27 ms per family with
 * 200,000 established sockets), so it runs only when a SYN queue can matter: a listener with a non-empty accept
 * queue, listener drops or the namespace's drop and SYN-queue counters (ListenDrops, TCPReqQFullDrop,
 * TCPReqQFullDoCookies) moving, or requests seen last time; and then at most once per
 * --sample.syn-queue-interval. Until the first dump the counts are unknown (the series is absent), never zero.
 */
final class SynQueueCounter {
    private final String netns;
    private final long intervalNanos;
    /** Baselines from the previous call; null before the first (which is a baseline, not a trigger). */
    private long[] lastTrouble;
    private long lastListenerDrops;
    private long lastDumpNanos;
    private Map<ListenerKey, Long> last;
    private boolean lastOk = true;

    SynQueueCounter(String netns, long intervalNanos) {
        this.netns = netns;
        this.intervalNanos = intervalNanos;
    }

    /** The counts as last dumped, or null before the first dump. */
    Map<ListenerKey, Long> last() {
        return last;
    }

    boolean lastOk() {
        return lastOk;
    }

    /**
     * @param trouble the namespace's drop and SYN-queue counters now
     * @return counts by listener series, or null when unknown (never dumped, or the dump failed: then
     *         {@link #lastOk()} is false and the caller should reopen its sock_diag socket)
     */
    Map<ListenerKey, Long> counts(List<TcpListener> tcp, long[] trouble, ListenerDumps dumps, RoundStats stats,
                                  ProblemLog problems, String where) {
        long drops = 0;
        boolean queued = false;
        for (TcpListener l : tcp) {
            drops += l.drops();
            queued |= l.acceptQueue() > 0;
        }
        boolean moved = lastTrouble != null && (drops != lastListenerDrops || !Arrays.equals(trouble, lastTrouble));
        boolean matters = queued || moved || (last != null && !last.isEmpty());
        lastListenerDrops = drops;
        lastTrouble = trouble;
        long now = System.nanoTime();
        if (!matters || (last != null && now - lastDumpNanos < intervalNanos)) {
            stats.reused(NamespaceReader.SYN_RECV, lastOk);
            return last;
        }
        long t = System.nanoTime();
        try {
            List<SynRecv> requests = new ArrayList<>(dumps.synRecv(Native.AF_INET));
            requests.addAll(dumps.synRecv(Native.AF_INET6));
            last = ListenerGroups.countSynRecv(netns, tcp, requests);
            lastDumpNanos = now;
            lastOk = true;
            stats.record(NamespaceReader.SYN_RECV, System.nanoTime() - t, true);
            return last;
        } catch (IOException | RuntimeException e) {
            stats.record(NamespaceReader.SYN_RECV, System.nanoTime() - t, false);
            lastOk = false;
            problems.report(NamespaceReader.SYN_RECV, e, where);
            return null;
        }
    }
}
