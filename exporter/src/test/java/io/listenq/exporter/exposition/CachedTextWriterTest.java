package io.listenq.exporter.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cached text writer against client_java's own, byte for byte, on families of every kind. */
class CachedTextWriterTest {
    private static final double[] VALUES = {
        0,
        -0.0,
        1,
        -1,
        0.25,
        1e-5,
        123456.5,
        9_999_999,
        10_000_000,
        -9_999_999,
        1.8446744073709552E19,
        Long.MAX_VALUE,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
        4096,
        3.0e-300
    };
    private static final String[] ODD_VALUES = {
        "", "plain", "back\\slash", "quote\"d", "new\nline", "all \\\" \n\\n", "ünïcödé ✓", "\uD83D\uDE00", "{}=,"
    };

    static String reference(MetricSnapshots s) throws IOException {
        return cached(PrometheusTextFormatWriter.create(), s);
    }

    static String cached(ExpositionFormatWriter w, MetricSnapshots s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, s);
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<Labels> labelSets(int n) {
        List<Labels> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Labels.of("netns", "40265320" + i, "address", ODD_VALUES[i % ODD_VALUES.length], "port", "" + i));
        }
        return out;
    }

    static MetricSnapshots families(List<Labels> labels, double shift) {
        MetricMetadata gaugeMeta = new MetricMetadata("lq_queue_length", "Queue length\\ with \"help\"\nnewline");
        MetricMetadata counterMeta = new MetricMetadata("lq_drops_seconds", "Drops", Unit.SECONDS);
        List<GaugeDataPointSnapshot> g = new ArrayList<>();
        List<CounterDataPointSnapshot> c = new ArrayList<>();
        List<CounterDataPointSnapshot> created = new ArrayList<>();
        List<UnknownSnapshot.UnknownDataPointSnapshot> u = new ArrayList<>();
        List<InfoSnapshot.InfoDataPointSnapshot> info = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            double v = VALUES[i % VALUES.length] + shift;
            g.add(new GaugeDataPointSnapshot(v, labels.get(i), null));
            c.add(new CounterDataPointSnapshot(Math.abs(v), labels.get(i), null, 0));
            created.add(new CounterDataPointSnapshot(Math.abs(v), labels.get(i), null, 1_700_000_000_123L));
            u.add(new UnknownSnapshot.UnknownDataPointSnapshot(v, labels.get(i), null));
            info.add(new InfoSnapshot.InfoDataPointSnapshot(labels.get(i)));
        }
        List<GaugeDataPointSnapshot> stamped = List.of(GaugeDataPointSnapshot.builder()
                .value(1)
                .labels(Labels.of("a", "b"))
                .scrapeTimestampMillis(1700000000123L)
                .build());
        return MetricSnapshots.of(
                new GaugeSnapshot(gaugeMeta, g),
                new CounterSnapshot(counterMeta, created),
                new CounterSnapshot(new MetricMetadata("lq_errors_total", "Errors"), c),
                new UnknownSnapshot(new MetricMetadata("lq_untyped", ""), u),
                new InfoSnapshot(new MetricMetadata("lq_listener", "Owner"), info),
                new GaugeSnapshot(new MetricMetadata("lq_empty", "no points"), List.of()),
                new GaugeSnapshot(
                        new MetricMetadata("lq_unlabelled", "one"),
                        List.of(new GaugeDataPointSnapshot(7, Labels.EMPTY, null))),
                new GaugeSnapshot(new MetricMetadata("lq_stamped", "stamped"), stamped),
                new GaugeSnapshot(new MetricMetadata("lq.dotted.name", "utf-8 name"), g.subList(0, 2)),
                new GaugeSnapshot(
                        new MetricMetadata("lq_dotted_label", "utf-8 label"),
                        List.of(new GaugeDataPointSnapshot(2, Labels.of("a.b", "x"), null))),
                HistogramSnapshot.builder()
                        .name("lq_hist")
                        .help("h")
                        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                .classicHistogramBuckets(ClassicHistogramBuckets.of(
                                        new double[] {0.1, Double.POSITIVE_INFINITY}, new long[] {1, 2}))
                                .sum(0.3)
                                .labels(Labels.of("x", "y"))
                                .build())
                        .build(),
                SummarySnapshot.builder()
                        .name("lq_summary")
                        .help("s")
                        .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                                .count(3)
                                .sum(1.5)
                                .build())
                        .build(),
                StateSetSnapshot.builder()
                        .name("lq_state")
                        .help("st")
                        .dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder()
                                .state("on", true)
                                .state("off", false)
                                .build())
                        .build());
    }

    @Test
    void everyKindOfFamilyIsWrittenAsClientJavaWritesIt() throws IOException {
        MetricSnapshots s = families(labelSets(40), 0);
        String expected = reference(s);
        assertThat(expected).contains("lq_drops_seconds_total{", "lq_listener_info{", "NaN", "+Inf", "-Inf", "\\\"");
        CachedTextWriter all = new CachedTextWriter(PrometheusTextFormatWriter.create(), 1);
        assertThat(cached(all, s)).isEqualTo(expected);
        // gauge, counter, unknown, info, the unlabelled gauge, the dotted name (client_java writes it with
        // underscores);
        // not: the created timestamps, the stamped point, the dotted label name, histogram, summary and state set
        assertThat(all.copiedFamilies()).isEqualTo(6);
        assertThat(expected).contains("lq_dotted_name{");
        CachedTextWriter large = CachedTextWriter.text();
        assertThat(cached(large, s)).isEqualTo(expected);
        assertThat(large.copiedFamilies()).isEqualTo(4);
    }

    @Test
    void openMetricsTooWithOneEofAtTheEnd() throws IOException {
        MetricSnapshots s = families(labelSets(40), 0.5);
        String expected = cached(OpenMetricsTextFormatWriter.create(), s);
        assertThat(expected)
                .contains("# UNIT lq_drops_seconds seconds", "lq_listener_info{")
                .endsWith("\n# EOF\n");
        CachedTextWriter all = new CachedTextWriter(OpenMetricsTextFormatWriter.create(), 1);
        assertThat(cached(all, s)).isEqualTo(expected);
        assertThat(cached(all, s)).isEqualTo(expected);
        assertThat(all.copiedFamilies()).isEqualTo(6);
        assertThat(cached(CachedTextWriter.openMetrics(), s)).isEqualTo(expected);
        MetricSnapshots none = MetricSnapshots.of();
        assertThat(cached(all, none)).isEqualTo(cached(OpenMetricsTextFormatWriter.create(), none));
    }

    @Test
    void onlyClientJavasOwnTextWritersAreReplaced() {
        assertThat(CachedTextWriter.replacing(PrometheusTextFormatWriter.create()))
                .isInstanceOf(CachedTextWriter.class);
        assertThat(CachedTextWriter.replacing(OpenMetricsTextFormatWriter.create()))
                .isInstanceOf(CachedTextWriter.class);
        ExpositionFormatWriter protobuf = ExpositionFormats.init().getPrometheusProtobufWriter();
        assertThat(CachedTextWriter.replacing(protobuf)).isSameAs(protobuf);
    }

    @Test
    void aRewriteOfTheSameAndOfChangedSeriesStaysIdentical() throws IOException {
        CachedTextWriter w = new CachedTextWriter(PrometheusTextFormatWriter.create(), 1);
        List<Labels> labels = labelSets(30);
        for (int round = 0; round < 4; round++) {
            MetricSnapshots s = families(labels, round % 2 == 0 ? 0 : 0.5);
            assertThat(cached(w, s)).as("round %d", round).isEqualTo(reference(s));
            labels = new ArrayList<>(labels.subList(round + 1, labels.size())); // series gone...
            labels.add(Labels.of("netns", "new" + round, "address", "n\"" + round, "port", "1")); // ...and new
        }
    }

    @Test
    void aBodyLargerThanTheBufferIsWhole() throws IOException {
        MetricSnapshots s = families(labelSets(3000), 0.125);
        String expected = reference(s);
        assertThat(expected.length()).isGreaterThan(200_000);
        assertThat(cached(CachedTextWriter.text(), s)).isEqualTo(expected);
    }
}
