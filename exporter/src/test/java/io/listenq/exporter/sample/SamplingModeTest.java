package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.cli.NetnsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mode is decided once, by trying what all mode needs, not by capability bits alone. */
class SamplingModeTest {
    private final List<String> warnings = new ArrayList<>();
    private int probes;

    private SamplingMode.Probe probe(Optional<String> result) {
        return () -> {
            probes++;
            return result;
        };
    }

    @Test
    void autoSamplesEveryNamespaceWhenEnteringOneWorksWhateverTheBitsSay() {
        // root without CAP_SYS_PTRACE can still open most processes' namespace files
        SamplingMode mode =
                SamplingMode.resolve(NetnsMode.AUTO, probe(Optional.empty()), "CAP_SYS_PTRACE", warnings::add);
        assertThat(mode.all()).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void autoFallsBackToItsOwnNamespaceWithOneLineSayingWhy() {
        SamplingMode mode = SamplingMode.resolve(
                NetnsMode.AUTO,
                probe(Optional.of("setns: Operation not permitted (errno 1)")),
                "CAP_SYS_ADMIN and CAP_SYS_PTRACE",
                warnings::add);
        assertThat(mode.all()).isFalse();
        assertThat(warnings)
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .startsWith("--netns=auto")
                        .contains("Operation not permitted")
                        .contains("CAP_SYS_ADMIN and CAP_SYS_PTRACE"));
    }

    @Test
    void explicitAllWithoutTheMeansWarnsAtStartAndStaysAll() {
        SamplingMode mode =
                SamplingMode.resolve(NetnsMode.ALL, probe(Optional.of("EACCES")), "CAP_SYS_PTRACE", warnings::add);
        assertThat(mode.all()).isTrue();
        assertThat(warnings)
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .startsWith("--netns=all")
                        .contains("EACCES")
                        .contains("listenq_netns_errors_total"));
        assertThat(SamplingMode.resolve(NetnsMode.ALL, probe(Optional.empty()), "", warnings::add)
                        .all())
                .isTrue();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void selfTriesNothing() {
        assertThat(SamplingMode.resolve(NetnsMode.SELF, probe(Optional.empty()), "", warnings::add)
                        .all())
                .isFalse();
        assertThat(probes).isZero();
        assertThat(warnings).isEmpty();
    }
}
