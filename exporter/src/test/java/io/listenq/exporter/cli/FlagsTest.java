package io.listenq.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static Config run(String... args) throws FlagException {
        return ((Flags.Run) Flags.parse(args)).config();
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws FlagException {
        Config c = run();
        assertThat(c.listenAddress()).isEqualTo(new ListenAddress("", 9469));
        assertThat(c.telemetryPath()).isEqualTo("/metrics");
        assertThat(c.sampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.peakWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.procfsRoot()).isEqualTo(Path.of("/proc"));
        assertThat(c.netnsMode()).isEqualTo(NetnsMode.AUTO);
        assertThat(c.netnsRefreshInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxListeners()).isEqualTo(10_000);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logFormat()).isEqualTo(io.listenq.exporter.log.LogFormat.LOGFMT);
        assertThat(((Flags.Run) Flags.parse("--log.format=json")).config().logFormat())
                .isEqualTo(io.listenq.exporter.log.LogFormat.JSON);
    }

    @Test
    void acceptsBothSpellingsOfAValue() throws FlagException {
        Config c = run(
                "--web.listen-address=127.0.0.1:19469",
                "--sample.interval",
                "250ms",
                "--peak.window=1m30s",
                "--netns=self",
                "--web.telemetry-path",
                "/m",
                "--path.procfs=/host/proc");
        assertThat(c.listenAddress()).isEqualTo(new ListenAddress("127.0.0.1", 19469));
        assertThat(c.sampleInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.peakWindow()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.netnsMode()).isEqualTo(NetnsMode.SELF);
        assertThat(c.telemetryPath()).isEqualTo("/m");
        assertThat(c.procfsRoot()).isEqualTo(Path.of("/host/proc"));
    }

    @Test
    void ipv6ListenAddressNeedsBrackets() throws FlagException {
        assertThat(run("--web.listen-address=[::1]:9469").listenAddress()).isEqualTo(new ListenAddress("::1", 9469));
        assertThatThrownBy(() -> Flags.parse("--web.listen-address=::1:9469"))
                .isInstanceOf(FlagException.class)
                .hasMessageContaining("--web.listen-address");
    }

    @Test
    void badValuesNameTheFlagOnOneLine() {
        String[][] bad = {
            {"--sample.interval=fast", "--sample.interval"},
            {"--sample.interval=0s", "--sample.interval"},
            {"--peak.window=0s", "--peak.window"},
            {"--netns.refresh-interval=0s", "--netns.refresh-interval"},
            {"--web.max-requests=0", "--web.max-requests"},
            {"--sample.interval=10", "--sample.interval"},
            {"--peak.window=-1s", "--peak.window"},
            {"--web.listen-address=:99999", "--web.listen-address"},
            {"--web.listen-address=localhost", "--web.listen-address"},
            {"--netns=some", "--netns"},
            {"--netns.include=(", "--netns.include"},
            {"--log.level=loud", "--log.level"},
            {"--log.format=text", "--log.format"},
            {"--max-listeners=0", "--max-listeners"},
            {"--web.telemetry-path=metrics", "--web.telemetry-path=metrics"},
            {"--no.such.flag=1", "--no.such.flag"},
            {"stray", "stray"},
        };
        for (String[] c : bad) {
            assertThatThrownBy(() -> Flags.parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(FlagException.class)
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> Flags.parse("--sample.interval"))
                .isInstanceOf(FlagException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void helpListsEveryFlagWithItsDefault() throws FlagException {
        assertThat(Flags.parse("--help")).isInstanceOf(Flags.Help.class);
        assertThat(Flags.parse("--version")).isInstanceOf(Flags.Version.class);
        String usage = Flags.usage();
        for (String flag : new String[] {
            "--web.listen-address",
            "--web.telemetry-path",
            "--sample.interval",
            "--peak.window",
            "--path.procfs",
            "--log.level",
            "--log.format",
            "--netns",
            "--netns.include",
            "--netns.exclude",
            "--netns.refresh-interval",
            "--path.netns",
            "--web.config.file",
            "--max-listeners"
        }) {
            assertThat(usage).contains(flag + "=");
        }
        assertThat(usage).contains("(default: :9469)").contains("(default: 1s)").contains("(default: 60s)");
    }

    @Test
    void durationsRoundTrip() {
        assertThat(Durations.parse("1h2m3s4ms")).isEqualTo(Duration.ofMillis(3_723_004));
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("1m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Durations.parse("99999999999999999s")).isInstanceOf(IllegalArgumentException.class);
    }
}
