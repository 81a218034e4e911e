package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** grafana/dashboards: schema check, lint and PromQL parse (check-dashboards.sh), and the queries' metric names. */
class DashboardsTest {

    private static Path root;

    @BeforeAll
    static void locate() {
        root = DeployTools.repoRoot();
    }

    /** Installs @grafana/schema and friends from npm into a temp dir, so it needs the registry. */
    @Test
    void checkDashboardsScriptPasses() {
        DeployTools.requireTool("node");
        DeployTools.requireTool("npm");
        DeployTools.requireTool("promtool");
        DeployTools.Result r = DeployTools.run(root, 600, List.of("bash", "grafana/check/check-dashboards.sh"));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.output()).as(r.describe()).contains("check-dashboards: OK");
    }

    @Test
    void everyDashboardHasQueriesOnContractMetrics() throws Exception {
        DeployTools.requireTool("node");
        List<DashboardQueries.Query> queries = DashboardQueries.list(root, Map.of());

        Set<String> uids =
                queries.stream().map(DashboardQueries.Query::dashboard).collect(Collectors.toCollection(TreeSet::new));
        assertThat(uids).as("dashboards with queries").isEqualTo(dashboardUids());
        for (DashboardQueries.Query q : queries) {
            // $1, $2: label_replace's references to its regex groups, not dashboard variables.
            assertThat(q.expr().replaceAll("\\$\\d", ""))
                    .as("%s %s: variables substituted", q.dashboard(), q.source())
                    .doesNotContain("$", "[[");
            assertThat(MetricContract.unknownNames(q.expr()))
                    .as("%s %s %s: metric names not in the metric contract", q.dashboard(), q.source(), q.refId())
                    .isEmpty();
        }
        String all = queries.stream().map(DashboardQueries.Query::expr).collect(Collectors.joining("\n"));
        // The per-listener queue metrics are what the dashboards are for.
        assertThat(MetricContract.names(all))
                .contains(
                        "listenq_accept_queue_length",
                        "listenq_accept_queue_backlog",
                        "listenq_accept_queue_peak_length",
                        "listenq_listener_drops_total",
                        "listenq_accept_queue_full_seconds_total",
                        "listenq_somaxconn",
                        "listenq_syncookies_sent_total",
                        "listenq_syn_queue_length");
    }

    @Test
    void variableValuesCanBeOverridden() throws Exception {
        DeployTools.requireTool("node");
        List<DashboardQueries.Query> queries =
                DashboardQueries.list(root, Map.of("netns", "4026532999", "instance", "10.1.2.3:9469"));
        assertThat(queries)
                .filteredOn(q -> q.expr().contains("netns=\"4026532999\""))
                .isNotEmpty();
        assertThat(queries)
                .filteredOn(q -> q.expr().contains("instance=\"10.1.2.3:9469\""))
                .isNotEmpty();
        assertThat(queries).noneMatch(q -> q.expr().contains("4026531840"));
    }

    private static Set<String> dashboardUids() throws IOException {
        Set<String> uids = new TreeSet<>();
        try (Stream<Path> s = Files.list(root.resolve("grafana/dashboards"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
                var m = java.util.regex.Pattern.compile("\"uid\":\\s*\"(listenq-[a-z-]+)\"")
                        .matcher(Files.readString(p));
                assertThat(m.find()).as("dashboard uid in %s", p).isTrue();
                uids.add(m.group(1));
            }
        }
        return uids;
    }
}
