package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PeakTrackerTest {
    private static final ListenerKey KEY = new ListenerKey("4026531840", "ipv4", "127.0.0.1", "8080");

    private static ListenerSample sample(long length, long backlog) {
        return new ListenerSample(KEY, length, backlog, length > backlog, OptionalLong.of(0), OptionalLong.of(0), 1, length, 0);
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
    void aVanishedListenerIsForgotten() {
        PeakTracker t = new PeakTracker(60_000, 1_000);
        at(t, 0, 9);
        t.beginRound();
        t.endRound();
        assertThat(t.tracked()).isZero();
        assertThat(at(t, 2_000, 1).peak()).isEqualTo(1);
    }
}
