package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A collector is reported only with an outcome it really had: never a success for one that never ran. */
class RoundStatsTest {
    @Test
    void aCollectorThatNeverRanIsNotReported() {
        RoundStats stats = new RoundStats();
        stats.reused("syn_recv", Optional.empty()); // skipped in every namespace, never dumped before
        stats.record("netstat", 1_000, true);
        assertThat(stats.results()).extracting(CollectorResult::name).containsExactly("netstat");
    }

    @Test
    void aReusedOutcomeStandsAndOneFailureAnywhereFailsTheRound() {
        RoundStats stats = new RoundStats();
        stats.reused("tcp_listeners", Optional.of(true));
        assertThat(stats.results())
                .singleElement()
                .satisfies(r -> assertThat(r.success()).isTrue());
        stats.record("tcp_listeners", 2_000_000, false); // another namespace's dump failed
        stats.reused("tcp_listeners", Optional.of(true));
        assertThat(stats.results()).singleElement().satisfies(r -> {
            assertThat(r.success()).isFalse();
            assertThat(r.durationSeconds()).isEqualTo(0.002);
        });
        assertThat(stats.ran()).containsExactly("tcp_listeners");
    }

    @Test
    void aReusedFailureIsReportedButDoesNotCountAsRunning() {
        RoundStats stats = new RoundStats();
        stats.reused("sysctl", Optional.of(false));
        assertThat(stats.results())
                .singleElement()
                .satisfies(r -> assertThat(r.success()).isFalse());
        assertThat(stats.ran()).as("a reused result proves no recovery").isEmpty();
    }
}
