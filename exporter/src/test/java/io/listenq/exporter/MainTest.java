package io.listenq.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadFlagIsOneLineAndExitCode2() {
        assertThat(run("--sample.interval=soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .hasLineCount(1)
                .startsWith("listenq-exporter: invalid value 'soon' for flag --sample.interval");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--web.listen-address");
        out.reset();
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("listenq-exporter ");
        assertThat(err.size()).isZero();
    }

    @Test
    void theFirstArgumentSelectsASubcommandWithItsOwnFlags() {
        assertThat(run("listeners", "--watch=never")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1).startsWith("listenq-exporter listeners: ");
        err.reset();
        assertThat(run("listeners", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: listenq-exporter listeners");
        out.reset();
        err.reset();
        assertThat(run("drill", "--rate=100000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .hasLineCount(1)
                .startsWith("listenq-exporter drill: ")
                .contains("--rate");
        assertThat(run("drill", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: listenq-exporter drill");
        assertThat(run("nonsense")).isEqualTo(2); // not a subcommand: the daemon's parser refuses it
    }
}
