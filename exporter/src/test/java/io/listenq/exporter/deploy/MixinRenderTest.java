package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/mixin: the committed renders (rules file, PrometheusRule, every dashboard under grafana/dashboards/) are what
 * {@code deploy/mixin/render.sh} makes of the mixin now, byte for byte.
 */
class MixinRenderTest {
    static final String RULES = "deploy/prometheus/listenq.rules.yml";
    static final String PROMETHEUS_RULE = "deploy/kubernetes/prometheusrule.yaml";
    static final String DASHBOARDS = "grafana/dashboards";

    /** One render for both tests: jsonnet takes seconds of CPU for the rules (std.manifestYamlDoc). */
    @TempDir
    static Path out;

    private static Path root;

    @BeforeAll
    static void render() {
        root = DeployTools.repoRoot();
        DeployTools.requireTool("jsonnet");
        DeployTools.Result r =
                DeployTools.run(root, 300, List.of("bash", "deploy/mixin/render.sh", "--out", out.toString()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void committedRendersAreUpToDate() throws IOException {
        Set<String> rendered = files(out);
        assertThat(rendered)
                .as("files render.sh wrote")
                .contains(
                        RULES,
                        PROMETHEUS_RULE,
                        DASHBOARDS + "/listenq-overview.json",
                        DASHBOARDS + "/listenq-listener.json");
        // Every committed dashboard comes from the mixin: none is edited by hand beside it.
        Set<String> committedDashboards = new TreeSet<>();
        for (String f : files(root.resolve(DASHBOARDS))) {
            committedDashboards.add(DASHBOARDS + "/" + f);
        }
        assertThat(rendered.stream().filter(f -> f.startsWith(DASHBOARDS + "/")).toList())
                .as("dashboards rendered from the mixin")
                .containsExactlyInAnyOrderElementsOf(committedDashboards);
        assertThat(stale(root, out, rendered))
                .as("stale renders: run deploy/mixin/render.sh and commit")
                .isEmpty();
    }

    /** The comparison does see a change: a rules file with another for: and a retitled dashboard are stale. */
    @Test
    void aChangedRenderIsReportedStale(@TempDir Path changed) throws IOException {
        for (String f : files(out)) {
            Files.createDirectories(changed.resolve(f).getParent());
            Files.copy(out.resolve(f), changed.resolve(f));
        }
        Path rules = changed.resolve(RULES);
        String text = Files.readString(rules);
        assertThat(text).contains("for: \"75s\"");
        Files.writeString(rules, text.replaceFirst("for: \"75s\"", "for: \"5m\""));
        Path dashboard = changed.resolve(DASHBOARDS + "/listenq-overview.json");
        Files.writeString(dashboard, Files.readString(dashboard).replaceFirst("\"title\": \"", "\"title\": \"x"));
        assertThat(stale(root, changed, files(changed)))
                .containsExactlyInAnyOrder(RULES, DASHBOARDS + "/listenq-overview.json");
    }

    /** Rendered files whose committed copy differs (or is missing). */
    private static List<String> stale(Path root, Path rendered, Set<String> files) throws IOException {
        List<String> stale = new ArrayList<>();
        for (String f : files) {
            Path committed = root.resolve(f);
            if (!Files.exists(committed)) {
                stale.add(f);
                continue;
            }
            if (!Files.readString(rendered.resolve(f)).equals(Files.readString(committed))) {
                stale.add(f);
            }
        }
        return stale;
    }

    /** Regular files under {@code dir}, as paths relative to it with '/' separators. */
    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            s.filter(Files::isRegularFile)
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
            return out;
        }
    }
}
