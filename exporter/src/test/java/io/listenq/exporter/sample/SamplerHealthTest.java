package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Flags;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What /-/ready and /-/healthy are told: ready only when a namespace was sampled, unhealthy when rounds stop. */
class SamplerHealthTest {
    private static Config config(String... args) throws Exception {
        return ((Flags.Run) Flags.parse(args)).config();
    }

    @Test
    void readyOnlyOnceANamespaceWasSampled() throws Exception {
        try (Sampler s = Sampler.create(config("--netns=self"))) {
            assertThat(s.ready()).as("before the first round").isFalse();
            s.round();
            assertThat(s.ready()).isTrue();
        }
    }

    @Test
    void notReadyWhileNoNamespaceCanBeSampled() throws Exception {
        // the own namespace cannot even be identified: rounds complete, but they sample nothing
        try (Sampler s = Sampler.create(config("--netns=self", "--path.procfs=/nonexistent-procfs"))) {
            s.round();
            s.round();
            assertThat(s.current()).isNotNull();
            assertThat(s.current().namespaces()).isEmpty();
            assertThat(s.ready()).isFalse();
        }
    }

    @Test
    void aFilterThatMatchesNothingYetIsReady() throws Exception {
        try (Sampler s = Sampler.create(config("--netns=all", "--netns.exclude=.*"))) {
            s.round();
            assertThat(s.current().namespaces()).isEmpty();
            assertThat(s.ready()).as("nothing to sample is not a failure").isTrue();
        }
    }

    @Test
    void unhealthyWhenNoRoundFinishesForLong() throws Exception {
        Config c = config("--netns=self", "--sample.interval=1s");
        try (Sampler s = Sampler.create(c)) {
            s.round();
            long now = System.nanoTime();
            assertThat(s.unhealthyReason(now)).isNull();
            assertThat(Sampler.stuckAfter(c).toSeconds()).isEqualTo(60);
            assertThat(s.unhealthyReason(now + TimeUnit.SECONDS.toNanos(61)))
                    .startsWith("no sampling round finished for");
            s.round();
            assertThat(s.unhealthyReason(System.nanoTime()))
                    .as("a round finished again")
                    .isNull();
        }
    }

    @Test
    void stuckThresholdGrowsWithLongIntervals() throws Exception {
        assertThat(Sampler.stuckAfter(config("--sample.interval=30s")).toSeconds())
                .isEqualTo(300);
    }
}
