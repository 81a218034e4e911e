package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.TcpListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a namespace's round must read, decided from what earlier rounds saw and the counters read now (README,
 * "Sampling, and why it is exact when it skips work"). Pure: numbers in, decisions out; no clock, no I/O.
 *
 * @param skipIdle              --sample.skip-idle: false reads every file and dumps every listener every round
 * @param synQueueIntervalNanos --sample.syn-queue-interval: minimum time between two SYN-RECV dumps
 */
record SkipPolicy(boolean skipIdle, long synQueueIntervalNanos) {
    /** Full TCP dumps come every this many refresh intervals (sysctls every one). */
    static final int FULL_EVERY_REFRESHES = 6;

    /** What a round must re-read whatever the counters say. */
    enum Turn {
        /**
         * The exporter's first round, which {@code /-/ready} waits for: everything but the sysctls, which the next
         * round reads. Nothing counts their changes, so they are read once per refresh interval anyway; in a first
         * round over 1,000 namespaces they cost a third of it (each open walks a dcache hash chain holding every
         * namespace's own {@code /proc/sys/net/core} and {@code ipv4} entries: proc_sys_compare).
         */
        FIRST,
        /** Only what the counters call for. */
        NORMAL,
        /** Also the sysctls: nothing counts their changes, so they are read once per refresh interval. */
        SYSCTLS,
        /** Also the sysctls and the TCP dumps: finds a listener closed and another opened between two rounds. */
        FULL
    }

    /**
     * The turn of a namespace in a round. Each namespace has its own phase, so a round does the sysctls of about
     * 1/R of the namespaces and the full dumps of 1/(6R) (R = rounds per refresh interval): no round is a naive
     * one, and each namespace gets both on time.
     */
    static Turn turn(long round, long phase, long roundsPerRefresh) {
        if (round == 1) {
            return Turn.FIRST;
        }
        long r = Math.max(1, roundsPerRefresh);
        if (Math.floorMod(round + phase, r * FULL_EVERY_REFRESHES) == 0) {
            return Turn.FULL;
        }
        return Math.floorMod(round + phase, r) == 0 ? Turn.SYSCTLS : Turn.NORMAL;
    }

    /**
     * net/netstat (the TcpExt counters) again? Every TcpExt counter we export moves only when the namespace
     * receives a TCP segment, and every received segment raises Tcp InSegs first (tcp_v4_rcv, tcp_v6_rcv).
     */
    boolean readNetstat(OptionalLong inSegsBefore, OptionalLong inSegsNow, boolean netstatKnown, Turn turn) {
        return !skipIdle
                || turn == Turn.FULL
                || !netstatKnown
                || inSegsBefore.isEmpty()
                || !inSegsBefore.equals(inSegsNow);
    }

    boolean readSysctls(Turn turn, boolean known) {
        return turn != Turn.FIRST && (!skipIdle || turn != Turn.NORMAL || !known);
    }

    /**
     * The counters that move whenever a TCP queue, a listener's drop count or the set of listeners can change: a
     * connection enters an accept queue only when a handshake completes (Tcp PassiveOpens); every listener drop
     * raises TcpExt ListenDrops (tcp_listendrop); a full SYN queue raises TCPReqQFullDrop or TCPReqQFullDoCookies
     * (tcp_syn_flood_action); listen() and close() move the namespace's TCP inuse count (sock_prot_inuse_add).
     */
    record Watched(
            long passiveOpens,
            long listenDrops,
            long listenOverflows,
            long reqQFullDrop,
            long reqQFullDoCookies,
            long tcpInUse) {
        /** Empty when the kernel did not give one of them: nothing can then be proved unchanged. */
        static Optional<Watched> of(NetnsCounters c) {
            OptionalLong[] v = {
                c.get(NetnsCounter.PASSIVE_OPENS),
                c.get(NetnsCounter.LISTEN_DROPS),
                c.get(NetnsCounter.LISTEN_OVERFLOWS),
                c.get(NetnsCounter.SYN_QUEUE_DROPS),
                c.get(NetnsCounter.SYN_QUEUE_COOKIES),
                c.tcpInUse()
            };
            for (OptionalLong x : v) {
                if (x.isEmpty()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Watched(
                    v[0].getAsLong(),
                    v[1].getAsLong(),
                    v[2].getAsLong(),
                    v[3].getAsLong(),
                    v[4].getAsLong(),
                    v[5].getAsLong()));
        }
    }

    /**
     * What the last TCP dump saw.
     *
     * @param at   the watched counters, read before that dump (a handshake completing in between makes the next
     *             round dump again)
     * @param idle every accept queue empty and no SYN-RECV requests known (none counted, or none worth counting)
     */
    record LastDump(Optional<Watched> at, boolean idle) {
        LastDump {
            Objects.requireNonNull(at, "at");
        }

        static LastDump of(Optional<Watched> at, List<TcpListener> tcp, SynOutcome syn) {
            boolean idle = syn != SynOutcome.FAILED && syn != SynOutcome.REQUESTS;
            for (TcpListener l : tcp) {
                idle &= l.acceptQueue() == 0;
            }
            return new LastDump(at, idle);
        }
    }

    /** What the SYN-RECV counts were after a TCP dump. */
    enum SynOutcome {
        /** Not dumped (nothing pointed at a SYN queue) and nothing known from before. */
        NOT_COUNTED,
        /** Counted (now or earlier), no requests. */
        EMPTY,
        /** Counted, some requests. */
        REQUESTS,
        /** The dump failed. */
        FAILED
    }

    /**
     * Dump the TCP listeners? Not when the last dump saw every queue empty and none of {@link Watched} moved since:
     * then every queue is still empty, every drop count unchanged and the listeners the same, unless one closed and
     * another opened between two rounds (inuse unchanged), which {@link Turn#FULL} finds.
     */
    boolean dumpTcp(Optional<LastDump> last, Optional<Watched> now, Turn turn) {
        if (!skipIdle
                || turn == Turn.FULL
                || last.isEmpty()
                || now.isEmpty()
                || !last.get().idle()) {
            return true;
        }
        return !last.get().at().equals(now);
    }

    /**
     * Dump the unix listeners? Nothing counts unix connections, so a namespace with a unix listener is dumped every
     * round. But a namespace whose last dump found none, and which holds no socket besides its hashed IP ones and
     * the exporter's own sock_diag socket (sockstat's {@code sockets: used} equals the {@code inuse} counts plus
     * {@code ownSockets}), has no unix socket at all, so no unix listener: every unix socket is in {@code used}
     * from its creation. One case can hide one: a socket the kernel holds for itself (a UDP tunnel's) is in an
     * {@code inuse} count but not in {@code used}, and could make up for a unix socket; so {@link Turn#FULL} dumps
     * anyway, as it does the TCP listeners.
     *
     * @param lastEmpty    the last unix dump succeeded and found no listener
     * @param nonIpSockets sockstat's {@code used} less every {@code inuse}; negative when unknown
     * @param ownSockets   the exporter's own sockets in the namespace (its sock_diag socket, when open)
     */
    boolean dumpUnix(Turn turn, boolean lastEmpty, long nonIpSockets, int ownSockets) {
        return !skipIdle || turn == Turn.FULL || turn == Turn.FIRST || !lastEmpty || nonIpSockets != ownSockets;
    }

    /**
     * The namespace's SYN-queue signals at one TCP dump.
     *
     * @param troubleCounters ListenDrops, TCPReqQFullDrop, TCPReqQFullDoCookies (empty entries when unknown)
     * @param listenerDrops   sk_drops summed over the listeners that report it
     * @param queued          some accept queue is not empty
     */
    record SynSignals(List<OptionalLong> troubleCounters, long listenerDrops, boolean queued) {
        SynSignals {
            troubleCounters = List.copyOf(troubleCounters);
        }

        static SynSignals of(NetnsCounters c, List<TcpListener> tcp) {
            long drops = 0;
            boolean queued = false;
            for (TcpListener l : tcp) {
                drops += l.drops().orElse(0);
                queued |= l.acceptQueue() > 0;
            }
            return new SynSignals(
                    List.of(
                            c.get(NetnsCounter.LISTEN_DROPS),
                            c.get(NetnsCounter.SYN_QUEUE_DROPS),
                            c.get(NetnsCounter.SYN_QUEUE_COOKIES)),
                    drops,
                    queued);
        }

        /** Whether the drop signals differ (the queue state is not compared: it is not a count). */
        boolean dropsMovedSince(SynSignals before) {
            return listenerDrops != before.listenerDrops || !troubleCounters.equals(before.troubleCounters);
        }
    }

    /**
     * Dump SYN-RECV after a TCP dump? That dump walks the host's whole established hash whatever namespace asks,
     * so only when a SYN queue can matter: an accept queue not empty, listener drops or ListenDrops/TCPReqQFull*
     * moving since the last TCP dump (the first one is a baseline, not a trigger), or requests seen (or the dump
     * failing) the last time; and then at most once per --sample.syn-queue-interval.
     *
     * @param before        the signals at the previous TCP dump, empty at the first
     * @param recheck       the last SYN-RECV dump counted requests, or failed
     * @param lastDumpNanos when the last SYN-RECV dump was tried, empty if never
     */
    boolean dumpSynRecv(
            Optional<SynSignals> before, SynSignals now, boolean recheck, OptionalLong lastDumpNanos, long nowNanos) {
        boolean matters = now.queued() || recheck || (before.isPresent() && now.dropsMovedSince(before.get()));
        return matters && (lastDumpNanos.isEmpty() || nowNanos - lastDumpNanos.getAsLong() >= synQueueIntervalNanos);
    }
}
