package io.listenq.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** One parser (cli/FlagTable) for the daemon and every subcommand: the same mistake reads the same everywhere. */
    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "'' => --bogus=1 => listenq-exporter: unknown flag --bogus (see listenq-exporter --help)",
                "listeners => --bogus=1 => listenq-exporter listeners: unknown flag --bogus (see listenq-exporter listeners --help)",
                "drill => --bogus=1 => listenq-exporter drill: unknown flag --bogus (see listenq-exporter drill --help)",
                "'' => stray => listenq-exporter: unexpected argument 'stray' (flags start with --; see listenq-exporter --help)",
                "listeners => stray => listenq-exporter listeners: unexpected argument 'stray' (flags start with --; see "
                        + "listenq-exporter listeners --help)",
                "drill => stray => listenq-exporter drill: unexpected argument 'stray' (flags start with --; see "
                        + "listenq-exporter drill --help)",
                "'' => --netns => listenq-exporter: flag --netns needs a value (auto|all|self)",
                "listeners => --netns => listenq-exporter listeners: flag --netns needs a value (auto|all|self)",
                "drill => --netns => listenq-exporter drill: flag --netns needs a value (NAME|INODE|PID)",
                "'' => --netns=some => listenq-exporter: invalid value 'some' for flag --netns: expected auto, all or self",
                "listeners => --netns=some => listenq-exporter listeners: invalid value 'some' for flag --netns: expected "
                        + "auto, all or self",
                "drill => --netns=../x => listenq-exporter drill: invalid value '../x' for flag --netns: expected a namespace "
                        + "name, inode or pid",
                "drill => --version => listenq-exporter drill: unknown flag --version (see listenq-exporter drill --help)",
            })
    void everyCommandReportsABadFlagTheSameWay(String command, String arg, String line) {
        String[] args = command.isEmpty() ? new String[] {arg} : new String[] {command, arg};
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(line + System.lineSeparator());
        assertThat(out.size()).isZero();
    }
}
