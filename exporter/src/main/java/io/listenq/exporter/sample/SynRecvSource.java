package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code syn_recv} collector: SYN-RECV request sockets per listener series. The dump walks the host's whole
 * established hash (inet_diag_dump_icsk over ehash, shared by every namespace), so {@link SkipPolicy#dumpSynRecv}
 * decides when it runs; this source keeps what that decision needs. Until the first dump the counts are unknown
 * (the series are absent), never zero.
 */
final class SynRecvSource extends KernelSource<Map<ListenerKey, Long>> {
    private final String netns;
    private final DiagSocket socket;
    private Optional<SkipPolicy.SynSignals> signals = Optional.empty();
    private OptionalLong lastDumpNanos = OptionalLong.empty();

    SynRecvSource(String netns, DiagSocket socket) {
        super(CollectorName.SYN_RECV);
        this.netns = netns;
        this.socket = socket;
    }

    /**
     * Whether to dump now, after a TCP dump that saw {@code now}; the signals become the next baseline.
     */
    boolean due(SkipPolicy policy, SkipPolicy.SynSignals now, long nowNanos) {
        boolean recheck = outcome() == SkipPolicy.SynOutcome.REQUESTS || outcome() == SkipPolicy.SynOutcome.FAILED;
        boolean due = policy.dumpSynRecv(signals, now, recheck, lastDumpNanos, nowNanos);
        signals = Optional.of(now);
        return due;
    }

    Map<ListenerKey, Long> read(List<TcpListener> tcp, long nowNanos, NetnsEntry entry) throws IOException {
        lastDumpNanos = OptionalLong.of(nowNanos); // a failing dump is retried no more often than a good one
        List<SynRecv> requests = socket.get(entry).synRecv();
        Map<ListenerKey, Long> now = ListenerGroups.countSynRecv(netns, tcp, requests);
        Map<ListenerKey, Long> before = last().orElse(null);
        return before != null && before.equals(now) ? before : Map.copyOf(now); // unchanged: the same object
    }

    /** How the SYN-RECV counts stand after this round, for {@link SkipPolicy.LastDump}. */
    SkipPolicy.SynOutcome outcome() {
        if (lastOk().isPresent() && !lastOk().get()) {
            return SkipPolicy.SynOutcome.FAILED;
        }
        return last().map(m -> m.isEmpty() ? SkipPolicy.SynOutcome.EMPTY : SkipPolicy.SynOutcome.REQUESTS)
                .orElse(SkipPolicy.SynOutcome.NOT_COUNTED);
    }

    @Override
    void reset() {
        socket.close();
    }
}
