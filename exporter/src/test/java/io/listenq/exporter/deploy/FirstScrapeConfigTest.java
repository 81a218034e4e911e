package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The README's "First scrape" prometheus.yml is a configuration Prometheus accepts (promtool, with the
 * repository's rules file beside it), and its job is the one the Kubernetes ServiceMonitor produces and the
 * dashboards select.
 */
class FirstScrapeConfigTest {
    private static final Pattern BLOCK = Pattern.compile("(?s)## First scrape\\n.*?```yaml\\n(.*?)```");

    @TempDir
    Path tmp;

    @Test
    void readmeScrapeConfigIsValidAndUsesTheAgreedJob() throws Exception {
        DeployTools.requireTool("promtool");
        Path root = DeployTools.repoRoot();
        Matcher m = BLOCK.matcher(Files.readString(root.resolve("README.md")));
        assertThat(m.find())
                .as("a yaml block under ## First scrape in README.md")
                .isTrue();
        Files.writeString(tmp.resolve("prometheus.yml"), m.group(1));
        Files.copy(root.resolve("deploy/prometheus/listenq.rules.yml"), tmp.resolve("listenq.rules.yml"));
        DeployTools.Result check = DeployTools.run(tmp, 60, List.of("promtool", "check", "config", "prometheus.yml"));
        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.output()).as(check.describe()).contains("SUCCESS");

        Map<String, Object> config = new Yaml().load(m.group(1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        String job = (String) jobs.getFirst().get("job_name");
        assertThat(job).isEqualTo("listenq-exporter");
        // The ServiceMonitor names the job after the Service's app.kubernetes.io/name label (jobLabel).
        assertThat(Files.readString(root.resolve("deploy/kubernetes/servicemonitor.yaml")))
                .contains("jobLabel: app.kubernetes.io/name");
        assertThat(Files.readString(root.resolve("deploy/kubernetes/service.yaml")))
                .contains("app.kubernetes.io/name: " + job);
        // The dashboards' job variable lists the jobs of this selector.
        for (String d : List.of("listenq-overview.json", "listenq-listener.json")) {
            assertThat(Files.readString(root.resolve("grafana/dashboards").resolve(d)))
                    .as(d)
                    .contains("listenq_build_info{cluster=~\\\"$cluster\\\",job=\\\"" + job + "\\\"}, job)");
        }
    }
}
