package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.testing.TcpListeners;
import io.listenq.exporter.sample.SkipPolicy.LastDump;
import io.listenq.exporter.sample.SkipPolicy.SynOutcome;
import io.listenq.exporter.sample.SkipPolicy.SynSignals;
import io.listenq.exporter.sample.SkipPolicy.Turn;
import io.listenq.exporter.sample.SkipPolicy.Watched;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every rule of README's "Sampling, and why it is exact when it skips work", case by case with plain numbers:
 * previous state + counters now -> what the round reads.
 */
class SkipPolicyTest {
    private static final long SECOND = 1_000_000_000L;
    private final SkipPolicy policy = new SkipPolicy(true, 5 * SECOND);
    private final SkipPolicy naive = new SkipPolicy(false, 5 * SECOND);

    /** PassiveOpens 100, ListenDrops 10, ListenOverflows 7, TCPReqQFullDrop 3, TCPReqQFullDoCookies 2, inuse 4. */
    private static final Watched BASE = new Watched(100, 10, 7, 3, 2, 4);

    private static final LastDump IDLE = new LastDump(Optional.of(BASE), true);

    private static Optional<Watched> now(
            long passiveOpens, long listenDrops, long overflows, long reqQFullDrop, long doCookies, long inUse) {
        return Optional.of(new Watched(passiveOpens, listenDrops, overflows, reqQFullDrop, doCookies, inUse));
    }

    private boolean dump(Optional<Watched> now) {
        return policy.dumpTcp(Optional.of(IDLE), now, Turn.NORMAL);
    }

    @Test
    void anIdleNamespaceWithNothingMovedIsNotDumped() {
        assertThat(dump(now(100, 10, 7, 3, 2, 4))).isFalse();
    }

    @Test
    void eachWatchedCounterMovingAloneMakesADump() {
        assertThat(dump(now(101, 10, 7, 3, 2, 4)))
                .as("PassiveOpens: a handshake completed")
                .isTrue();
        assertThat(dump(now(100, 11, 7, 3, 2, 4)))
                .as("ListenDrops: a listener dropped")
                .isTrue();
        assertThat(dump(now(100, 10, 8, 3, 2, 4)))
                .as("ListenOverflows: an accept queue was full")
                .isTrue();
        assertThat(dump(now(100, 10, 7, 4, 2, 4)))
                .as("TCPReqQFullDrop: a SYN queue was full")
                .isTrue();
        assertThat(dump(now(100, 10, 7, 3, 3, 4)))
                .as("TCPReqQFullDoCookies: a SYN queue was full")
                .isTrue();
        assertThat(dump(now(100, 10, 7, 3, 2, 5)))
                .as("TCP inuse: listen() or close()")
                .isTrue();
    }

    @Test
    void aListenerClosingWhileAnotherOpensIsFoundByTheFullTurnOnly() {
        // close() and listen() between two rounds: inuse 4 -> 3 -> 4, no counter moves
        Optional<Watched> same = now(100, 10, 7, 3, 2, 4);
        assertThat(policy.dumpTcp(Optional.of(IDLE), same, Turn.NORMAL)).isFalse();
        assertThat(policy.dumpTcp(Optional.of(IDLE), same, Turn.SYSCTLS)).isFalse();
        assertThat(policy.dumpTcp(Optional.of(IDLE), same, Turn.FULL)).isTrue();
    }

    @Test
    void withoutAnIdleLastDumpOrKnownCountersEveryRoundDumps() {
        Optional<Watched> same = now(100, 10, 7, 3, 2, 4);
        assertThat(policy.dumpTcp(Optional.empty(), same, Turn.NORMAL))
                .as("never dumped")
                .isTrue();
        assertThat(policy.dumpTcp(Optional.of(new LastDump(Optional.of(BASE), false)), same, Turn.NORMAL))
                .as("last dump saw a queue")
                .isTrue();
        assertThat(policy.dumpTcp(Optional.of(IDLE), Optional.empty(), Turn.NORMAL))
                .as("a counter unknown now")
                .isTrue();
        assertThat(policy.dumpTcp(Optional.of(new LastDump(Optional.empty(), true)), same, Turn.NORMAL))
                .as("a counter unknown at the last dump")
                .isTrue();
        assertThat(naive.dumpTcp(Optional.of(IDLE), same, Turn.NORMAL))
                .as("--sample.skip-idle=false")
                .isTrue();
    }

    @Test
    void watchedNeedsEveryCounterTheKernelGives() {
        Map<NetnsCounter, Long> all = new EnumMap<>(NetnsCounter.class);
        for (NetnsCounter c : NetnsCounter.values()) {
            all.put(c, 1L);
        }
        assertThat(Watched.of(new NetnsCounters(all, OptionalLong.of(9), OptionalLong.of(4))))
                .contains(new Watched(1, 1, 1, 1, 1, 4));
        all.remove(NetnsCounter.SYN_QUEUE_COOKIES);
        assertThat(Watched.of(new NetnsCounters(all, OptionalLong.of(9), OptionalLong.of(4))))
                .isEmpty();
    }

    @Test
    void aDumpIsIdleOnlyWithEveryQueueEmptyAndNoKnownRequests() throws Exception {
        List<TcpListener> empty = List.of(listener(0, 0));
        assertThat(LastDump.of(Optional.of(BASE), empty, SynOutcome.NOT_COUNTED).idle())
                .isTrue();
        assertThat(LastDump.of(Optional.of(BASE), empty, SynOutcome.EMPTY).idle())
                .isTrue();
        assertThat(LastDump.of(Optional.of(BASE), empty, SynOutcome.REQUESTS).idle())
                .isFalse();
        assertThat(LastDump.of(Optional.of(BASE), empty, SynOutcome.FAILED).idle())
                .isFalse();
        assertThat(LastDump.of(Optional.of(BASE), List.of(listener(0, 0), listener(1, 0)), SynOutcome.EMPTY)
                        .idle())
                .isFalse();
    }

    @Test
    void netstatIsReadOnlyWhenInSegsMoved() {
        OptionalLong in500 = OptionalLong.of(500);
        assertThat(policy.readNetstat(in500, in500, true, Turn.NORMAL))
                .as("no segment received")
                .isFalse();
        assertThat(policy.readNetstat(in500, in500, true, Turn.SYSCTLS)).isFalse();
        assertThat(policy.readNetstat(in500, OptionalLong.of(501), true, Turn.NORMAL))
                .as("one segment")
                .isTrue();
        assertThat(policy.readNetstat(in500, in500, true, Turn.FULL))
                .as("full turn")
                .isTrue();
        assertThat(policy.readNetstat(in500, in500, false, Turn.NORMAL))
                .as("netstat never read")
                .isTrue();
        assertThat(policy.readNetstat(OptionalLong.empty(), in500, true, Turn.NORMAL))
                .as("InSegs unknown")
                .isTrue();
        assertThat(policy.readNetstat(in500, OptionalLong.empty(), true, Turn.NORMAL))
                .as("InSegs gone")
                .isTrue();
        assertThat(naive.readNetstat(in500, in500, true, Turn.NORMAL)).isTrue();
    }

    @Test
    void sysctlsAreReadEveryRefreshInterval() {
        assertThat(policy.readSysctls(Turn.NORMAL, true)).isFalse();
        assertThat(policy.readSysctls(Turn.SYSCTLS, true)).isTrue();
        assertThat(policy.readSysctls(Turn.FULL, true)).isTrue();
        assertThat(policy.readSysctls(Turn.NORMAL, false)).as("never read").isTrue();
        assertThat(naive.readSysctls(Turn.NORMAL, true)).isTrue();
    }

    @Test
    void eachNamespaceGetsOneFullTurnPerSixRefreshesAndSysctlsEveryRefresh() {
        long r = 10; // --netns.refresh-interval=10s at --sample.interval=1s
        for (long phase : new long[] {0, 7, 123_457}) {
            int full = 0;
            int sysctls = 0;
            for (long round = 2; round <= 6 * r + 1; round++) { // round 1 is FIRST (see below)
                Turn t = SkipPolicy.turn(round, phase, r);
                full += t == Turn.FULL ? 1 : 0;
                sysctls += t != Turn.NORMAL ? 1 : 0;
            }
            assertThat(full).as("phase %d", phase).isEqualTo(1);
            assertThat(sysctls).as("phase %d: once per refresh interval", phase).isEqualTo(6);
        }
        // spread: in one round, 600 namespaces with phases 0..599 -> 10 full turns, 60 sysctl reads
        int full = 0;
        int sysctls = 0;
        for (long phase = 0; phase < 600; phase++) {
            Turn t = SkipPolicy.turn(42, phase, r);
            full += t == Turn.FULL ? 1 : 0;
            sysctls += t != Turn.NORMAL ? 1 : 0;
        }
        assertThat(full).isEqualTo(10);
        assertThat(sysctls).isEqualTo(60);
        // a refresh interval no longer than a round: sysctls every round, a full turn every sixth
        assertThat(SkipPolicy.turn(5, 0, 0)).isEqualTo(Turn.SYSCTLS);
        assertThat(SkipPolicy.turn(6, 0, 0)).isEqualTo(Turn.FULL);
    }

    @Test
    void theFirstRoundLeavesTheSysctlsToTheNext() {
        for (long phase : new long[] {0, 59, 123_457}) {
            assertThat(SkipPolicy.turn(1, phase, 10)).as("phase %d", phase).isEqualTo(Turn.FIRST);
        }
        assertThat(policy.readSysctls(Turn.FIRST, false)).isFalse();
        assertThat(naive.readSysctls(Turn.FIRST, false)).as("naive too").isFalse();
        // the second round reads what the first left: never read before, whatever its turn
        assertThat(policy.readSysctls(SkipPolicy.turn(2, 0, 10), false)).isTrue();
        // everything else as a namespace never sampled: the counters, and a TCP dump (no baseline)
        assertThat(policy.readNetstat(OptionalLong.empty(), OptionalLong.empty(), false, Turn.FIRST))
                .isTrue();
        assertThat(policy.dumpTcp(Optional.empty(), Optional.empty(), Turn.FIRST))
                .isTrue();
    }

    private static SynSignals signals(
            long listenDrops, long reqQFullDrop, long doCookies, long listenerDrops, boolean queued) {
        return new SynSignals(
                List.of(OptionalLong.of(listenDrops), OptionalLong.of(reqQFullDrop), OptionalLong.of(doCookies)),
                listenerDrops,
                queued);
    }

    @Test
    void theFirstSynSignalsAreABaselineNotATrigger() {
        assertThat(policy.dumpSynRecv(Optional.empty(), signals(10, 3, 2, 75, false), false, OptionalLong.empty(), 0))
                .isFalse();
    }

    @Test
    void listenDropsOrReqQFullMovingWithoutPassiveOpensMakeBothDumps() {
        // PassiveOpens stays 100: no handshake completed, yet a SYN queue overflowed
        assertThat(dump(now(100, 11, 7, 4, 2, 4))).isTrue();
        SynSignals before = signals(10, 3, 2, 75, false);
        long t = 100 * SECOND;
        assertThat(policy.dumpSynRecv(
                        Optional.of(before), signals(11, 3, 2, 75, false), false, OptionalLong.empty(), t))
                .as("ListenDrops")
                .isTrue();
        assertThat(policy.dumpSynRecv(
                        Optional.of(before), signals(10, 4, 2, 75, false), false, OptionalLong.empty(), t))
                .as("TCPReqQFullDrop")
                .isTrue();
        assertThat(policy.dumpSynRecv(
                        Optional.of(before), signals(10, 3, 3, 75, false), false, OptionalLong.empty(), t))
                .as("TCPReqQFullDoCookies")
                .isTrue();
        assertThat(policy.dumpSynRecv(
                        Optional.of(before), signals(10, 3, 2, 76, false), false, OptionalLong.empty(), t))
                .as("a listener's sk_drops")
                .isTrue();
        assertThat(policy.dumpSynRecv(
                        Optional.of(before), signals(10, 3, 2, 75, false), false, OptionalLong.empty(), t))
                .as("nothing moved")
                .isFalse();
    }

    @Test
    void aQueueOrRequestsSeenLastTimeKeepTheSynDumpGoingAtMostOncePerInterval() {
        SynSignals quiet = signals(10, 3, 2, 75, false);
        long t = 100 * SECOND;
        assertThat(policy.dumpSynRecv(Optional.of(quiet), signals(10, 3, 2, 75, true), false, OptionalLong.empty(), t))
                .as("an accept queue not empty")
                .isTrue();
        assertThat(policy.dumpSynRecv(Optional.of(quiet), quiet, true, OptionalLong.of(t - 5 * SECOND), t))
                .as("requests last time, interval over")
                .isTrue();
        assertThat(policy.dumpSynRecv(Optional.of(quiet), quiet, true, OptionalLong.of(t - 4 * SECOND), t))
                .as("requests last time, within --sample.syn-queue-interval")
                .isFalse();
        assertThat(policy.dumpSynRecv(
                        Optional.of(quiet), signals(11, 3, 2, 75, true), false, OptionalLong.of(t - SECOND), t))
                .as("trouble, but dumped a second ago")
                .isFalse();
    }

    private static TcpListener listener(int acceptQueue, long drops) throws Exception {
        return TcpListeners.listener().acceptQueue(acceptQueue).drops(drops).build();
    }

    @Test
    void unixListenersAreSkippedOnlyWhereNoUnixSocketCanBe() {
        assertThat(policy.dumpUnix(Turn.NORMAL, true, 1, 1))
                .as("last dump empty, no socket but IP ones and ours")
                .isFalse();
        assertThat(policy.dumpUnix(Turn.SYSCTLS, true, 0, 0)).isFalse();
        assertThat(policy.dumpUnix(Turn.NORMAL, true, 2, 1))
                .as("another non-IP socket: maybe a unix one")
                .isTrue();
        assertThat(policy.dumpUnix(Turn.NORMAL, true, 0, 1))
                .as("fewer than ours: the count is not what we think")
                .isTrue();
        assertThat(policy.dumpUnix(Turn.NORMAL, true, -1, 1))
                .as("sockstat unknown")
                .isTrue();
        assertThat(policy.dumpUnix(Turn.NORMAL, false, 1, 1))
                .as("the last dump found a listener (or failed)")
                .isTrue();
        assertThat(policy.dumpUnix(Turn.FULL, true, 1, 1)).as("a full turn").isTrue();
        assertThat(policy.dumpUnix(Turn.FIRST, true, 1, 1)).isTrue();
        assertThat(new SkipPolicy(false, 0).dumpUnix(Turn.NORMAL, true, 1, 1))
                .as("--sample.skip-idle=false")
                .isTrue();
    }
}
