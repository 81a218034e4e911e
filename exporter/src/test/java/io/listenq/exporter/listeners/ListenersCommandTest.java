package io.listenq.exporter.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.NetnsMode;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Snapshots;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class ListenersCommandTest {
    @Test
    void flags() throws FlagException {
        assertThat(ListenersCommand.parse(List.of()))
                .isEqualTo(new ListenersCommand.Options(NetnsMode.AUTO, ListenersCommand.Output.TABLE, null));
        assertThat(ListenersCommand.parse(List.of("--netns=self", "--output=json", "--watch=2s")))
                .isEqualTo(new ListenersCommand.Options(
                        NetnsMode.SELF, ListenersCommand.Output.JSON, Duration.ofSeconds(2)));
        assertThat(ListenersCommand.parse(List.of("--output", "json", "--watch", "1s")))
                .as("the daemon's two spellings of a value")
                .isEqualTo(new ListenersCommand.Options(
                        NetnsMode.AUTO, ListenersCommand.Output.JSON, Duration.ofSeconds(1)));
        assertThat(ListenersCommand.parse(List.of("--help"))).as("help").isNull();
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--netns=some")))
                .hasMessageContaining("--netns");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--output=xml")))
                .hasMessageContaining("--output");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch=soon")))
                .hasMessageContaining("--watch");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch=0s"))).hasMessageContaining("above 0");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--port=1")))
                .hasMessageContaining("unknown flag --port");
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ListenersCommand.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadFlagIsOneLineAndStatus2() {
        assertThat(run("--output=xml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .hasLineCount(1)
                .startsWith("listenq-exporter listeners: invalid value 'xml' for flag --output");
        assertThat(out.size()).isZero();
    }

    @Test
    void ownNamespaceWithoutPrivilegeNeeded() {
        assertThat(run("--netns=self")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().findFirst().orElseThrow().strip().split("\\s+")).containsExactly(ListenersText.HEADER);
        assertThat(text).containsPattern("listener\\(s\\) in 1 namespace\\(s\\), netns mode self");
    }

    @Test
    void nothingReadMeansNoNamespaceOrEveryDumpFailed() {
        var ns = new NamespaceSample("4026531840", NetnsIdentity.UNKNOWN, Map.of(), Map.of(), List.of());
        BiFunction<Boolean, Boolean, Snapshot> snapshot = (tcp, unix) -> Snapshots.snapshot(ns)
                .collectors(
                        new CollectorResult("tcp_listeners", tcp, 0), new CollectorResult("unix_listeners", unix, 0))
                .build();
        assertThat(ListenersCommand.nothingRead(snapshot.apply(false, false))).isTrue();
        assertThat(ListenersCommand.nothingRead(snapshot.apply(true, false))).isFalse();
        assertThat(ListenersCommand.nothingRead(snapshot.apply(false, true))).isFalse();
        assertThat(ListenersCommand.nothingRead(Snapshots.snapshot().build())).isTrue();
    }
}
