package io.listenq.exporter.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every PromQL query of {@code grafana/dashboards/*.json} (panel targets and query variables), with
 * dashboard variables replaced, as listed by {@code grafana/check/list-queries.mjs}.
 *
 * <p>Meant for reuse by tests that run the queries against a live Prometheus scraping the
 * exporter: pass the values of that setup, e.g. {@code Map.of("instance", "127.0.0.1:9469",
 * "netns", "4026531840", "listener", "127.0.0.1", "port", "8080")}.
 */
public final class DashboardQueries {

    /** One query: dashboard uid, where it is ("panel 3 Backlog" or "variable netns"), refId, expression. */
    public record Query(String dashboard, String source, String refId, String expr) {
        public Query {
            if (expr == null || expr.isBlank()) {
                throw new IllegalArgumentException("empty expression in " + dashboard + " " + source);
            }
        }
    }

    private DashboardQueries() {}

    /** Lists the queries; needs {@code node} on the PATH. Throws when a variable has no value. */
    public static List<Query> list(Path repoRoot, Map<String, String> values) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "grafana/check/list-queries.mjs"));
        values.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        try (Stream<Path> files = Files.list(repoRoot.resolve("grafana/dashboards"))) {
            files.filter(p -> p.toString().endsWith(".json"))
                    .sorted()
                    .forEach(p -> command.add(repoRoot.relativize(p).toString()));
        }
        DeployTools.Result result = DeployTools.run(repoRoot, 60, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(result.describe());
        }
        return parse(result.output());
    }

    /** Parses list-queries.mjs output: one tab-separated line per query. */
    static List<Query> parse(String tsv) {
        List<Query> queries = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            if (f.length != 4) {
                throw new IllegalArgumentException("not 4 tab-separated fields: " + line);
            }
            queries.add(new Query(f[0], f[1], f[2], f[3]));
        }
        return List.copyOf(queries);
    }
}
