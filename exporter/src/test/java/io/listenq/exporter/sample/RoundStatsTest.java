package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
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

    @Test
    void aResetStartsAFreshRoundAndTheSameRunningNamesGiveTheSameSet() {
        RoundStats stats = new RoundStats();
        stats.record("tcp_listeners", 1_000, false);
        stats.record("netstat", 2_000, true);
        stats.markRan("setns");
        assertThat(stats.results())
                .extracting(CollectorResult::name)
                .as("by name")
                .containsExactly("netstat", "tcp_listeners");
        Set<String> first = stats.ran();
        assertThat(first).containsExactlyInAnyOrder("netstat", "tcp_listeners", "setns");

        stats.reset();
        assertThat(stats.results()).as("no outcome carried into the next round").isEmpty();
        stats.record(new String("netstat"), 3_000, true); // an equal name that is another object: the same slot
        stats.record("tcp_listeners", 1_000, true);
        stats.markRan("setns");
        assertThat(stats.ran()).isSameAs(first);
        assertThat(stats.results()).extracting(CollectorResult::success).containsExactly(true, true);
        assertThat(stats.results().getFirst().durationSeconds()).isEqualTo(3e-6);

        stats.reset();
        stats.record("netstat", 1_000, true);
        Set<String> netstatOnly = stats.ran();
        assertThat(netstatOnly).containsExactly("netstat");

        // rounds alternating between two sets hand back the sets made before
        for (int round = 0; round < 4; round++) {
            stats.reset();
            stats.record("netstat", 1_000, true);
            if (round % 2 == 0) {
                stats.record("tcp_listeners", 1_000, true);
                stats.markRan("setns");
                assertThat(stats.ran()).isSameAs(first);
            } else {
                assertThat(stats.ran()).isSameAs(netstatOnly);
            }
        }
        stats.reset();
        stats.markRan("discovery"); // a new name moves the slots: no set made for the old ones is handed out
        stats.record("netstat", 1_000, true);
        assertThat(stats.ran()).containsExactlyInAnyOrder("discovery", "netstat");
        stats.reset();
        stats.record("netstat", 1_000, true);
        assertThat(stats.ran()).isEqualTo(netstatOnly);
    }
}
