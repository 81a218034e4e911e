package io.listenq.exporter.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.NetnsMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersCommandTest {
    @Test
    void flags() throws FlagException {
        assertThat(ListenersCommand.parse(List.of())).isEqualTo(
                new ListenersCommand.Options(NetnsMode.AUTO, ListenersCommand.Output.TABLE, null));
        assertThat(ListenersCommand.parse(List.of("--netns=self", "--output=json", "--watch=2s"))).isEqualTo(
                new ListenersCommand.Options(NetnsMode.SELF, ListenersCommand.Output.JSON, Duration.ofSeconds(2)));
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--netns=some"))).hasMessageContaining("--netns");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--output=xml"))).hasMessageContaining("--output");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch=soon"))).hasMessageContaining("--watch");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch=0s"))).hasMessageContaining("above 0");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--watch"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ListenersCommand.parse(List.of("--port=1"))).hasMessageContaining("unknown flag --port");
    }

    @Test
    void aBadFlagIsOneLineAndStatus2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ListenersCommand.run(List.of("--output=xml"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1)
                .startsWith("listenq-exporter listeners: invalid value 'xml' for --output");
        assertThat(out.size()).isZero();
    }

    @Test
    void ownNamespaceWithoutPrivilegeNeeded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ListenersCommand.run(List.of("--netns=self"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().findFirst().orElseThrow().strip().split("\\s+")).containsExactly(ListenersText.HEADER);
        assertThat(text).containsPattern("listener\\(s\\) in 1 namespace\\(s\\), netns mode self");
    }
}
