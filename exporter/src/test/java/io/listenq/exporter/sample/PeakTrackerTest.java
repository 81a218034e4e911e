package io.listenq.exporter.sample;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ListenerSamples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeakTrackerTest {
    private static final ListenerKey KEY = new ListenerKey("4026531840", "ipv4", "127.0.0.1", "8080");

    private static ListenerSample sample(long length, long backlog) {
        return listener(KEY)
                .acceptQueue(length)
                .backlog(backlog)
                .drops(0)
                .synQueue(0)
                .build();
    }

    private static ListenerSample at(PeakTracker t, long now, long length) {
        t.beginRound();
        ListenerSample out = t.track(now, sample(length, 4));
        t.endRound();
        return out;
    }

    @Test
    void peakIsTheLargestLengthWithinTheWindow() {
        PeakTracker t = new PeakTracker(10_000, 1_000);
        assertThat(at(t, 0, 3).peak()).isEqualTo(3);
        assertThat(at(t, 1_000, 1).peak()).isEqualTo(3);
        assertThat(at(t, 2_000, 2).peak()).isEqualTo(3);
        assertThat(at(t, 9_999, 0).peak()).isEqualTo(3);
        // the 3 sampled at t=0 leaves the 10 s window at t=10 s; the 2 from t=2 s is the largest left
        assertThat(at(t, 10_000, 0).peak()).isEqualTo(2);
        assertThat(at(t, 12_000, 0).peak()).isEqualTo(0);
        assertThat(at(t, 13_000, 5).peak()).isEqualTo(5);
    }

    @Test
    void fullTimeAddsTheSampledIntervalsWhileLengthExceedsBacklog() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        assertThat(at(t, 0, 5).fullSeconds()).isEqualTo(1.0); // first sighting: one interval
        assertThat(at(t, 500, 5).fullSeconds()).isEqualTo(1.5);
        assertThat(at(t, 1_500, 4).fullSeconds()).isEqualTo(1.5); // 4 is not > backlog 4
        assertThat(at(t, 3_500, 5).fullSeconds()).isEqualTo(3.5);
    }

    @Test
    void fullTimeIsExactMillisecondsNotASumOfRoundedSeconds() {
        // 998 ms steps: a double running sum gives 2.9939999999999998 after three, which /metrics printed as is.
        PeakTracker t = new PeakTracker(60_000, 998);
        at(t, 0, 5);
        at(t, 998, 5);
        assertThat(at(t, 1_996, 5).fullSeconds()).isEqualTo(2.994);
        assertThat(Double.toString(at(t, 2_994, 5).fullSeconds())).isEqualTo("3.992");
    }

    @Test
    void anUnchangedIdleSampleGetsTheSameOutputBack() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        ListenerSample idle = sample(0, 4);
        t.beginRound();
        ListenerSample first = t.track(0, idle);
        t.endRound();
        t.beginRound();
        assertThat(t.track(1_000, idle)).isSameAs(first);
        t.endRound();
    }

    @Test
    void aSampleTheHistoryChangesNothingOfIsItsOwnOutput() {
        PeakTracker t = new PeakTracker(10_000, 1_000);
        ListenerSample idle =
                listener(KEY).backlog(4).drops(0).synQueue(0).dropRate(0).build();
        assertThat(track(t, 0, idle))
                .as("peak, full time and rate as the sample says")
                .isSameAs(idle);
        ListenerSample queued = listener(KEY)
                .acceptQueue(2)
                .backlog(4)
                .drops(0)
                .synQueue(0)
                .dropRate(0)
                .build();
        assertThat(track(t, 1_000, queued)).isSameAs(queued);
        ListenerSample emptied =
                listener(KEY).backlog(4).drops(0).synQueue(0).dropRate(0).build();
        ListenerSample out = track(t, 2_000, emptied);
        assertThat(out)
                .as("the 2 is still the peak")
                .isNotSameAs(emptied)
                .isEqualTo(emptied.withHistory(2, 0, out.dropRate()));
        ListenerSample unknownRate =
                listener(KEY).backlog(4).drops(0).synQueue(0).build();
        assertThat(track(t, 12_000, unknownRate).dropRate())
                .as("the sample's empty rate is not the tracker's")
                .hasValue(0);
    }

    @Test
    void aVanishedListenerIsForgotten() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        at(t, 0, 9);
        t.beginRound();
        t.endRound();
        assertThat(t.tracked()).isZero();
        assertThat(at(t, 2_000, 1).peak()).isEqualTo(1);
    }

    private static ListenerSample drops(PeakTracker t, long now, long drops) {
        ListenerSamples sample = listener(KEY).backlog(4).synQueue(0);
        return track(t, now, (drops < 0 ? sample : sample.drops(drops)).build());
    }

    private static ListenerSample track(PeakTracker t, long now, ListenerSample s) {
        t.beginRound();
        ListenerSample out = t.track(now, s);
        t.endRound();
        return out;
    }

    @Test
    void dropRateIsOverTheLastMinute() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        assertThat(drops(t, 0, 100).dropRate()).as("first sight: no history").hasValue(0);
        assertThat(drops(t, 10_000, 200).dropRate()).hasValue(10.0); // 100 drops in 10 s
        assertThat(drops(t, 30_000, 200).dropRate()).hasValue(100 / 30.0);
        // at 70 s the marks at 0 and 5 s are out of the window; the oldest kept one (10 s, 200) is the base
        assertThat(drops(t, 70_000, 260).dropRate()).hasValue(60 / 60.0);
        ListenerSample reused = listener(KEY).backlog(4).drops(260).synQueue(0).build(); // a skipped dump's sample
        ListenerSample quiet = track(t, 140_000, reused);
        assertThat(quiet.dropRate()).hasValue(0);
        assertThat(track(t, 141_000, reused)).as("unchanged: the same object").isSameAs(quiet);
    }

    @Test
    void unixListenersHaveNoDropRateAndAShrinkingGroupNoNegativeOne() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        assertThat(drops(t, 0, -1).dropRate()).as("unknown drops: unknown rate").isEmpty();
        PeakTracker u = new PeakTracker(60_000, 1_000);
        drops(u, 0, 50);
        assertThat(drops(u, 5_000, 20).dropRate()).hasValue(0);
    }

    /** One round in which the namespace of KEY is carried over (asked for, not tracked), as the sampler does. */
    private static void carry(PeakTracker t, long now) {
        t.beginRound();
        t.group(KEY.netns(), now);
        t.endRound();
    }

    private static ListenerSample sample(long length, long backlog, long drops) {
        return listener(KEY)
                .acceptQueue(length)
                .backlog(backlog)
                .drops(drops)
                .synQueue(0)
                .build();
    }

    /** Tracks {@code s} at {@code now} and says whether its namespace may be carried over next round. */
    private static boolean settledAfter(PeakTracker t, long now, ListenerSample s) {
        t.beginRound();
        PeakTracker.Group g = t.group(KEY.netns(), now);
        t.track(g, now, s);
        g.tracked(null, null, null);
        t.endRound();
        return g.settled;
    }

    @Test
    void carriedRoundsLeaveTheSameHistoryAsTrackedOnes() {
        PeakTracker fed = new PeakTracker(60_000, 1_000);
        PeakTracker carried = new PeakTracker(60_000, 1_000);
        ListenerSample idle = sample(0, 4, 100);
        for (long now = 0; now < 120_000; now += 1_000) {
            track(fed, now, idle);
            if (now == 0) {
                track(carried, now, idle);
            } else {
                carry(carried, now);
            }
        }
        assertThat(carried.tracked()).as("a carried namespace keeps its series").isEqualTo(1);
        ListenerSample busy = sample(5, 4, 160); // full, 60 drops since
        ListenerSample a = track(fed, 120_000, busy);
        ListenerSample b = track(carried, 120_000, busy);
        assertThat(b.peak()).isEqualTo(a.peak()).isEqualTo(5);
        assertThat(b.fullSeconds())
                .as("full since the last round, not since the last tracking")
                .isEqualTo(a.fullSeconds())
                .isEqualTo(1.0);
        assertThat(b.dropRate()).isEqualTo(a.dropRate()).hasValue(1.0); // 60 drops over the last minute
        ListenerSample a2 = track(fed, 121_000, sample(0, 4, 160));
        ListenerSample b2 = track(carried, 121_000, sample(0, 4, 160));
        assertThat(b2.peak()).isEqualTo(a2.peak()).isEqualTo(5);
        assertThat(b2.dropRate()).isEqualTo(a2.dropRate());
    }

    @Test
    void carriedLastRoundIsTrueOnlyForTheSameObjectCarriedInTheRoundJustEnded() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        ListenerSample idle = sample(0, 4, 100);
        NamespaceSample ns = new NamespaceSample(
                KEY.netns(), new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), List.of(idle));
        t.beginRound();
        PeakTracker.Group g = t.group(KEY.netns(), 0);
        ListenerSample out = t.track(g, 0, idle);
        g.tracked(
                ns, ns.listeners(), new NamespaceSample(KEY.netns(), ns.identity(), Map.of(), Map.of(), List.of(out)));
        t.endRound();
        assertThat(t.carriedLastRound(ns)).as("tracked, not carried").isFalse();

        t.beginRound();
        assertThat(t.group(KEY.netns(), 1_000).carried(ns, ns.listeners())).isTrue();
        t.endRound();
        assertThat(t.carriedLastRound(ns)).isTrue();
        NamespaceSample copy =
                new NamespaceSample(KEY.netns(), ns.identity(), ns.counters(), ns.sysctls(), List.of(idle));
        assertThat(t.carriedLastRound(copy)).as("equal but another object").isFalse();

        t.beginRound();
        t.group(KEY.netns(), 2_000);
        t.endRound();
        assertThat(t.carriedLastRound(ns))
                .as("asked for but not carried in the last round")
                .isFalse();
    }

    @Test
    void onlyAnEmptyQuietFlatListenerIsSettled() {
        PeakTracker t = new PeakTracker(10_000, 1_000);
        assertThat(settledAfter(t, 0, sample(0, 4, 7))).as("empty, first sight").isTrue();
        assertThat(settledAfter(t, 1_000, sample(2, 4, 7)))
                .as("queue not empty")
                .isFalse();
        assertThat(settledAfter(t, 2_000, sample(0, 4, 7)))
                .as("a 2 within the peak window")
                .isFalse();
        assertThat(settledAfter(t, 11_000, sample(0, 4, 7)))
                .as("the 2 left the window")
                .isTrue();
        assertThat(settledAfter(t, 12_000, sample(0, 4, 9)))
                .as("drops moved within the minute")
                .isFalse();
        assertThat(settledAfter(t, 80_000, sample(0, 4, 9)))
                .as("the rate's base is still the mark from 11 s, before the 2 drops")
                .isFalse();
        assertThat(settledAfter(t, 150_000, sample(0, 4, 9)))
                .as("flat for a minute")
                .isTrue();
        PeakTracker u = new PeakTracker(10_000, 1_000);
        assertThat(settledAfter(u, 0, listener(KEY).backlog(4).synQueue(0).build()))
                .as("unix: no drop count")
                .isTrue();
    }

    @Test
    void aNamespaceNotAskedForIsForgottenWithItsSeries() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        at(t, 0, 9);
        carry(t, 1_000);
        assertThat(t.tracked()).isEqualTo(1);
        t.beginRound();
        t.endRound();
        assertThat(t.tracked()).isZero();
        assertThat(t.tracks(KEY)).isFalse();
    }
}
