package io.listenq.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.ExternalTool;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The self-metrics a real exporter registers: standard process/JVM names once, Micrometer timing our own work. */
class SelfMetricsTest {
    private static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double value(String text, String series) {
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series));
    }

    @Test
    void standardProcessAndJvmFamiliesOnceAndNoMachineMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(() -> null, "test"));
        try (SelfMetrics self = SelfMetrics.register(registry)) {
            String text = text(registry);
            for (String family : List.of(
                    "process_cpu_seconds_total",
                    "process_resident_memory_bytes",
                    "process_start_time_seconds",
                    "process_open_fds",
                    "process_max_fds",
                    "jvm_memory_used_bytes",
                    "jvm_threads_current",
                    "jvm_classes_currently_loaded",
                    "jvm_gc_collection_seconds",
                    "jvm_runtime_info")) {
                assertThat(text).as(family).containsPattern("(?m)^# TYPE " + family + " ");
            }
            assertThat(value(text, "process_resident_memory_bytes")).isGreaterThan(10_000_000);
            assertThat(value(text, "process_open_fds")).isGreaterThan(2);
            assertThat(text)
                    .doesNotContainPattern("(?m)^system_")
                    .doesNotContain("process_cpu_usage")
                    .doesNotContain("jvm_gc_pause"); // Micrometer's JVM binders are gone: one set of JVM names
            Map<String, Long> types = text.lines()
                    .filter(l -> l.startsWith("# TYPE "))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(types).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
            assertThat(ExternalTool.promtoolCheckMetrics(text)).isEmpty();
        }
    }

    @Test
    void nativeMemoryFamiliesOnlyWithNativeMemoryTracking() throws Exception {
        boolean tracking = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking=") && !a.endsWith("=off"));
        assertThat(SelfMetrics.nativeMemoryTracking()).isEqualTo(tracking);
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SelfMetrics self = SelfMetrics.register(registry)) {
            assertThat(text(registry).contains("# TYPE jvm_native_memory_committed_bytes gauge"))
                    .isEqualTo(tracking);
        }
    }

    @Test
    void theMicrometerFamiliesAreTheCatalogsWithItsTypeHelpAndLabels() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SelfMetrics self = SelfMetrics.register(registry)) {
            self.roundEnded(
                    Snapshots.snapshot()
                            .roundSeconds(0.001)
                            .collectors(new CollectorResult("netstat", false, 0.001))
                            .build(),
                    Set.of("netstat"));
            self.served("text", false, 1000);
            String text = text(registry);
            for (Metric m : Metric.from(Metric.Source.MICROMETER)) {
                String type = m.type().name().toLowerCase(java.util.Locale.ROOT);
                assertThat(text)
                        .as(m.name())
                        .contains("# TYPE " + m.exposedName() + " " + type + "\n")
                        .contains("# HELP " + m.exposedName() + " " + m.help() + "\n");
                boolean timer = m.type() == Metric.Type.HISTOGRAM || m.type() == Metric.Type.SUMMARY;
                String sample = text.lines()
                        .filter(l -> l.startsWith(m.exposedName() + (timer ? "_count" : "")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no sample of " + m.exposedName()));
                java.util.regex.Matcher labels =
                        java.util.regex.Pattern.compile("([a-z_]+)=\"").matcher(sample);
                List<String> names = new java.util.ArrayList<>();
                while (labels.find()) {
                    names.add(labels.group(1));
                }
                assertThat(names).as(sample).containsExactlyInAnyOrderElementsOf(m.labels());
            }
        }
    }

    @Test
    void roundsCollectorsAndScrapesAreCountedAndTimedInTheSameRegistry() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SelfMetrics self = SelfMetrics.register(registry)) {
            Snapshot round = Snapshots.snapshot()
                    .roundSeconds(0.003)
                    .collectors(
                            new CollectorResult("netstat", true, 0.001),
                            new CollectorResult("tcp_listeners", false, 0.002),
                            new CollectorResult("syn_recv", true, 0))
                    .build();
            self.roundEnded(round, Set.of("netstat", "tcp_listeners")); // syn_recv was skipped this round
            self.roundEnded(round, Set.of("netstat"));
            self.served("text", true, 2_000_000);
            self.served("protobuf", false, 1_000_000);
            self.rejected();
            String text = text(registry);

            assertThat(value(text, "listenq_sample_rounds_seconds_count")).isEqualTo(2);
            assertThat(value(text, "listenq_sample_rounds_seconds_sum")).isEqualTo(0.006);
            assertThat(value(text, "listenq_sample_rounds_seconds_bucket{le=\"0.005\"}"))
                    .isEqualTo(2);
            assertThat(value(text, "listenq_sample_rounds_seconds_bucket{le=\"0.001\"}"))
                    .isZero();
            assertThat(value(text, "listenq_collector_runs_seconds_count{collector=\"netstat\"}"))
                    .isEqualTo(2);
            assertThat(value(text, "listenq_collector_runs_seconds_sum{collector=\"netstat\"}"))
                    .isEqualTo(0.002);
            assertThat(value(text, "listenq_collector_runs_seconds_count{collector=\"tcp_listeners\"}"))
                    .isEqualTo(1);
            assertThat(text).doesNotContain("collector=\"syn_recv\"");
            assertThat(value(text, "listenq_collector_failures_total{collector=\"tcp_listeners\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "listenq_collector_failures_total{collector=\"netstat\"}"))
                    .isZero();
            assertThat(value(text, "listenq_scrapes_seconds_count{compression=\"gzip\",format=\"text\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "listenq_scrapes_seconds_sum{compression=\"none\",format=\"protobuf\"}"))
                    .isEqualTo(0.001);
            assertThat(value(text, "listenq_scrapes_rejected_total")).isEqualTo(1);
            assertThat(ExternalTool.promtoolCheckMetrics(text)).isEmpty();
        }
    }
}
