package io.listenq.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.exporter.deploy.DeployTools;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The metric catalog ({@link Metric}) against everything else that names a metric: the collector's output, its
 * {@code getPrometheusNames()}, the golden file and the README's tables. (Rules and dashboards are checked
 * against it through {@code deploy.MetricContract}.) Each test names what differs.
 */
class MetricCatalogTest {
    /** A README table row: {@code | `name` | type | labels | ...}. */
    private static final Pattern README_ROW =
            Pattern.compile("^\\| `(listenq_[a-z0-9_]+)` \\| ([a-z]+)[^|]* \\|([^|]*)\\|");

    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_]+)`");

    /** What the catalog says, as "name type [labels]" per family, sorted. */
    private static Set<String> catalog() {
        return catalog(Arrays.asList(Metric.values()));
    }

    private static Set<String> catalog(List<Metric> metrics) {
        return metrics.stream()
                .map(m -> line(m.exposedName(), m.type().name().toLowerCase(), new TreeSet<>(m.labels())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String line(String name, String type, Set<String> labels) {
        return name + " " + type + " " + labels;
    }

    @Test
    void theCollectorServesEveryFamilyOfTheCatalogWithItsTypeHelpUnitAndLabels() {
        ListenqCollector collector = new ListenqCollector(ListenqCollectorGoldenTest::fixedSnapshot, "1.2.3");
        Set<String> served = new TreeSet<>();
        Map<String, String> help = new TreeMap<>();
        for (MetricSnapshot family : collector.collect()) {
            String type = family instanceof CounterSnapshot ? "counter" : "gauge";
            String exposed = family.getMetadata().getPrometheusName() + (type.equals("counter") ? "_total" : "");
            assertThat(family.getDataPoints())
                    .as(exposed + " has data points in the full snapshot")
                    .isNotEmpty();
            for (DataPointSnapshot p : family.getDataPoints()) {
                Set<String> labels = new TreeSet<>();
                p.getLabels().forEach(l -> labels.add(l.getName()));
                served.add(line(exposed, type, labels));
            }
            help.put(
                    family.getMetadata().getName(),
                    family.getMetadata().getHelp() + family.getMetadata().getUnit());
        }
        assertThat(served).isEqualTo(catalog(Metric.from(Metric.Source.SNAPSHOT)));
        assertThat(help)
                .isEqualTo(Metric.from(Metric.Source.SNAPSHOT).stream()
                        .collect(Collectors.toMap(
                                Metric::metricName, m -> m.help() + m.unit().orElse(null))));
    }

    @Test
    void theCollectorDeclaresTheCatalogToTheRegistry() {
        ListenqCollector collector = new ListenqCollector(() -> null, "1.2.3");
        assertThat(collector.getPrometheusNames())
                .containsExactlyInAnyOrderElementsOf(Metric.from(Metric.Source.SNAPSHOT).stream()
                        .map(Metric::metricName)
                        .toList());
        assertThat(collector.getMetricType("listenq_listen_overflows")).isEqualTo(MetricType.COUNTER);
        assertThat(collector.getLabelNames("listenq_accept_queue_length"))
                .containsExactlyInAnyOrder("netns", "family", "address", "port");
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        // a second collector claiming one of our names is refused at registration, not at scrape time
        assertThatThrownBy(() -> registry.register(new ListenqCollector(() -> null, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGoldenFileHasTheCatalogsTypeAndHelpLines() throws Exception {
        String golden = Files.readString(Path.of("src/test/resources/golden/metrics.txt"));
        Set<String> lines =
                golden.lines().filter(l -> l.startsWith("# ")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        for (Metric m : Metric.from(Metric.Source.SNAPSHOT)) {
            expected.add("# TYPE " + m.exposedName() + " " + m.type().name().toLowerCase());
            expected.add("# HELP " + m.exposedName() + " " + m.help());
        }
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void theReadmeTablesListTheCatalog() throws Exception {
        List<String> rows = new ArrayList<>();
        for (String l : Files.readAllLines(DeployTools.repoRoot().resolve("README.md"))) {
            Matcher m = README_ROW.matcher(l);
            if (m.find()) {
                Set<String> labels = new TreeSet<>();
                Matcher b = BACKTICKED.matcher(m.group(3));
                while (b.find()) {
                    labels.add(b.group(1));
                }
                rows.add(line(m.group(1), m.group(2), labels));
            }
        }
        assertThat(rows).as("README rows").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(rows)).isEqualTo(catalog());
    }
}
