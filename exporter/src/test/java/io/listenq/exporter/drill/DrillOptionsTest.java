package io.listenq.exporter.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.exporter.cli.FlagException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrillOptionsTest {

    private static DrillOptions run(String... args) throws FlagException {
        return ((DrillOptions.Run) DrillOptions.parse(args)).options();
    }

    @Test
    void defaultsAreLoopbackTheDocumentedPortAndThreeMinutes() throws Exception {
        DrillOptions o = run();
        assertThat(o.netns()).isEmpty();
        assertThat(o.address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(o.port()).isEqualTo(DrillOptions.DEFAULT_PORT);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(o.settle()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bothFlagFormsAreRead() throws Exception {
        DrillOptions o = run(
                "--netns=lq-a",
                "--address",
                "::1",
                "--port=8080",
                "--duration",
                "90s",
                "--rate=5",
                "--max-clients=20",
                "--settle=0s");
        assertThat(o.netns()).isEqualTo(Optional.of("lq-a"));
        assertThat(o.address()).isEqualTo(InetAddress.ofLiteral("::1"));
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.rate()).isEqualTo(5);
        assertThat(o.maxClients()).isEqualTo(20);
        assertThat(o.settle()).isZero();
    }

    @Test
    void helpIsAskedFor() throws Exception {
        assertThat(DrillOptions.parse("--help")).isInstanceOf(DrillOptions.Help.class);
        assertThat(DrillOptions.usage()).contains("--netns", "--duration", Integer.toString(DrillOptions.DEFAULT_PORT));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--rate=201|--rate",
                "--rate=0|--rate",
                "--max-clients=513|--max-clients",
                "--port=0|--port",
                "--port=http|--port",
                "--duration=2s|--duration",
                "--duration=2h|--duration",
                "--duration=5|--duration",
                "--settle=6m|--settle",
                "--settle=-1s|--settle",
                "--address=localhost|--address",
                "--address=10.0.0.300|--address",
                "--netns=../etc|--netns",
                "--bogus=1|--bogus",
                "--netns|--netns",
                "extra|extra",
            })
    void badValuesNameTheFlag(String arg, String named) {
        assertThatThrownBy(() -> DrillOptions.parse(arg))
                .isInstanceOf(FlagException.class)
                .hasMessageContaining(named)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
