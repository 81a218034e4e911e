package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/prometheus/listenq.rules.yml: promtool check and unit tests, coverage of the tests, runbook links. */
class PrometheusRulesTest {

    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert:\\s*\"?([A-Za-z0-9_]+)\"?\\s*$");
    private static final Pattern RUNBOOK =
            Pattern.compile("(?m)^\\s*runbook_url:\\s*\"?(\\S+?)/docs/runbook\\.md#([^\"\\s]+)\"?\\s*$");
    /** The mixin's default runbookURLPattern: the project's public docs. */
    private static final String DOCS = "https://github.com/listenq/listenq-exporter/blob/main";

    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

    private static Path root;
    private static Path rules;
    private static String rulesText;

    @BeforeAll
    static void locate() throws IOException {
        root = DeployTools.repoRoot();
        rules = root.resolve("deploy/prometheus/listenq.rules.yml");
        rulesText = Files.readString(rules);
    }

    @Test
    void promtoolCheckRulesPasses() {
        DeployTools.requireTool("promtool");
        DeployTools.Result r = DeployTools.run(
                root,
                120,
                List.of("promtool", "check", "rules", root.relativize(rules).toString()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.output()).as(r.describe()).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPass() throws IOException {
        DeployTools.requireTool("promtool");
        List<String> files =
                testFiles().stream().map(p -> root.relativize(p).toString()).toList();
        assertThat(files)
                .as("promtool test files under deploy/prometheus/tests")
                .isNotEmpty();
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        command.addAll(files);
        DeployTools.Result r = DeployTools.run(root, 300, command);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        // One SUCCESS per file: a file that promtool skipped would not print one.
        long successes =
                r.output().lines().filter(l -> l.trim().equals("SUCCESS")).count();
        assertThat(successes).as(r.describe()).isEqualTo(files.size());
    }

    /** Every alert is tested both firing and quiet (exp_alerts: []) at some evaluation time. */
    @Test
    void everyAlertHasFiringAndQuietTestCases() throws IOException {
        Set<String> alerts = alertNames();
        assertThat(alerts).isNotEmpty();
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path file : testFiles()) {
            // Each "- eval_time:" item names one alert and its expected alerts.
            String[] cases = Files.readString(file).split("(?m)^\\s*- eval_time:");
            for (int i = 1; i < cases.length; i++) {
                Matcher name = Pattern.compile("alertname:\\s*(\\S+)").matcher(cases[i]);
                if (!name.find()) {
                    continue;
                }
                if (cases[i].contains("exp_alerts: []")) {
                    quiet.add(name.group(1));
                } else if (cases[i].contains("exp_labels:")) {
                    firing.add(name.group(1));
                }
            }
        }
        assertThat(firing).as("alerts with a firing test case").containsAll(alerts);
        assertThat(quiet).as("alerts with a not-firing test case").containsAll(alerts);
        assertThat(alerts)
                .as("test cases for alerts that do not exist")
                .containsAll(firing)
                .containsAll(quiet);
    }

    /** Every alert rule points, by an absolute URL, to a section of docs/runbook.md that exists. */
    @Test
    void runbookUrlsPointToRunbookSections() throws IOException {
        List<String> anchors = new ArrayList<>();
        Matcher m = RUNBOOK.matcher(rulesText);
        while (m.find()) {
            assertThat(m.group(1)).as("runbook_url of %s", m.group(2)).isEqualTo(DOCS);
            anchors.add(m.group(2));
        }
        long alertRules = ALERT.matcher(rulesText).results().count();
        assertThat(anchors).as("one runbook_url per alert rule").hasSize((int) alertRules);

        Set<String> headings = new LinkedHashSet<>();
        // Headings outside fenced code blocks (a "# comment" in a shell snippet is not one).
        String runbook = Files.readString(root.resolve("docs/runbook.md")).replaceAll("(?s)```.*?```", "");
        Matcher h = HEADING.matcher(runbook);
        while (h.find()) {
            headings.add(githubAnchor(h.group(1)));
        }
        assertThat(headings).as("anchors of docs/runbook.md headings").containsAll(anchors);
        // Each alert's runbook section is named after the alert.
        for (String alert : alertNames()) {
            assertThat(headings).contains(alert.toLowerCase(Locale.ROOT));
        }
    }

    /** Every recording rule is read by an alert or a dashboard (issue 13: used or removed). */
    @Test
    void everyRecordingRuleIsUsed() throws IOException {
        Matcher m =
                Pattern.compile("(?m)^\\s*record:\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(rulesText);
        List<String> records = new ArrayList<>();
        while (m.find()) {
            records.add(m.group(1));
        }
        assertThat(records).isNotEmpty();
        String alerts = rulesText.substring(rulesText.indexOf("- alert:"));
        StringBuilder dashboards = new StringBuilder();
        try (Stream<Path> s = Files.list(root.resolve("grafana/dashboards"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
                dashboards.append(Files.readString(p));
            }
        }
        for (String r : records) {
            assertThat(alerts.contains(r + "{") || dashboards.toString().contains(r))
                    .as("%s used by an alert or a dashboard", r)
                    .isTrue();
        }
    }

    @Test
    void rulesUseOnlyContractMetrics() {
        assertThat(MetricContract.names(rulesText))
                .as("listenq metrics used by the rules")
                .isNotEmpty();
        assertThat(MetricContract.unknownNames(rulesText))
                .as("metric names not in the metric contract")
                .isEmpty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String githubAnchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        Matcher m = ALERT.matcher(rulesText);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("deploy/prometheus/tests"))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
