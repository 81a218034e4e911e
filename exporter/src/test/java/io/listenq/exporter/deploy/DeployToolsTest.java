package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The helpers the deploy checks rely on: tool gating, repository root, query list parsing. */
class DeployToolsTest {

    @Test
    void missingToolFailsUnderCiAndAbortsElsewhere() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThatThrownBy(() -> DeployTools.requireTool("listenq-no-such-tool"))
                .isInstanceOf(ci ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining("listenq-no-such-tool is not on the PATH");
    }

    @Test
    void presentToolPasses() {
        // sh is required by POSIX and by Maven itself.
        DeployTools.requireTool("sh");
    }

    @Test
    void repoRootHoldsTheRulesAndDashboards() {
        var root = DeployTools.repoRoot();
        assertThat(Files.isRegularFile(root.resolve("deploy/prometheus/listenq.rules.yml")))
                .isTrue();
        assertThat(Files.isRegularFile(root.resolve("grafana/check/check-dashboards.sh")))
                .isTrue();
    }

    @Test
    void runCapturesOutputAndExitCode() {
        var r = DeployTools.run(DeployTools.repoRoot(), 30, List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("out", "err");
        assertThat(r.describe()).contains("exited 3");
    }

    @Test
    void parsesQueryLines() {
        var queries = DashboardQueries.parse(
                "listenq-listener\tpanel 3 Backlog\tA\tsum(listenq_accept_queue_backlog{port=~\"80\"})\n"
                        + "listenq-listener\tvariable netns\t-\tlistenq_accept_queue_backlog\n");
        assertThat(queries)
                .extracting(DashboardQueries.Query::source)
                .containsExactly("panel 3 Backlog", "variable netns");
        assertThat(queries.get(0).expr()).isEqualTo("sum(listenq_accept_queue_backlog{port=~\"80\"})");
    }

    @Test
    void rejectsMalformedQueryLines() {
        assertThatThrownBy(() -> DashboardQueries.parse("only\ttwo\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DashboardQueries.parse("a\tb\tc\t \n")).isInstanceOf(IllegalArgumentException.class);
    }
}
