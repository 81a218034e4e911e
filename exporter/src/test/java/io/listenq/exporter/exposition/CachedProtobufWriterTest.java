package io.listenq.exporter.exposition;

import static io.listenq.exporter.exposition.CachedTextWriterTest.families;
import static io.listenq.exporter.exposition.CachedTextWriterTest.labelSets;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cached protobuf writer against client_java's, byte for byte. */
class CachedProtobufWriterTest {
    private static final PrometheusProtobufWriter REFERENCE =
            ExpositionFormats.init().getPrometheusProtobufWriter();

    static byte[] bytes(ExpositionFormatWriter w, MetricSnapshots s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, s);
        return out.toByteArray();
    }

    @Test
    void everyKindOfFamilyIsWrittenAsClientJavaWritesIt() throws IOException {
        MetricSnapshots s = families(labelSets(40), 0);
        CachedProtobufWriter all = new CachedProtobufWriter(REFERENCE, 1);
        assertThat(bytes(all, s)).isEqualTo(bytes(REFERENCE, s));
        // gauge, counter, unknown, info, the unlabelled gauge, the dotted name; not: created timestamps, the stamped
        // point, the dotted label name, histogram, summary and state set
        assertThat(all.copiedFamilies()).isEqualTo(6);
        CachedProtobufWriter large = new CachedProtobufWriter(REFERENCE, 8);
        assertThat(bytes(large, s)).isEqualTo(bytes(REFERENCE, s));
        assertThat(large.copiedFamilies()).isEqualTo(4);
    }

    @Test
    void rewritesOfKeptChangedNewAndGoneSeriesStayIdentical() throws IOException {
        CachedProtobufWriter w = new CachedProtobufWriter(REFERENCE, 1);
        List<Labels> labels = labelSets(30);
        for (int round = 0; round < 4; round++) {
            MetricSnapshots s = families(labels, round % 2 == 0 ? 0 : 0.5);
            assertThat(bytes(w, s)).as("round %d", round).isEqualTo(bytes(REFERENCE, s));
            labels = new ArrayList<>(labels.subList(round + 1, labels.size()));
            labels.add(Labels.of("netns", "new" + round, "address", "ü" + round, "port", ""));
        }
    }

    @Test
    void largeFamiliesAndLongLabelValues() throws IOException {
        List<Labels> labels = labelSets(3000);
        labels.add(Labels.of("long", "x".repeat(300), "longer", "y".repeat(20_000)));
        MetricSnapshots s = families(labels, 0.125);
        CachedProtobufWriter w = new CachedProtobufWriter(REFERENCE, 8);
        assertThat(bytes(w, s)).isEqualTo(bytes(REFERENCE, s));
        assertThat(w.copiedFamilies()).isEqualTo(4);
    }

    @Test
    void onlyClientJavasProtobufWriterIsReplaced() {
        assertThat(CachedProtobufWriter.replacing(REFERENCE)).isInstanceOf(CachedProtobufWriter.class);
        ExpositionFormatWriter text = ExpositionFormats.init().getPrometheusTextFormatWriter();
        assertThat(CachedProtobufWriter.replacing(text)).isSameAs(text);
    }
}
