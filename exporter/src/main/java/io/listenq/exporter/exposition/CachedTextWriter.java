package io.listenq.exporter.exposition;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * The Prometheus text format (0.0.4) and OpenMetrics text, byte for byte as client_java's
 * {@link PrometheusTextFormatWriter#create()} and {@link OpenMetricsTextFormatWriter#create()} write them, for large
 * families at a fraction of the cost. client_java goes through a {@code BufferedWriter} and an
 * {@code OutputStreamWriter}, escapes every label value character by character and formats every value through a
 * {@code String}: at 10,000 listener series (~9 MB) that is most of an encode. Here a family of gauges, counters,
 * unknowns or info series with at least {@link #MIN_POINTS} points is written as byte copies: its header lines and
 * series name are rendered by client_java itself once per {@link MetricMetadata} object (from a one-point probe of the
 * same family), and each series' label block ({@code {netns="...",port="..."}}) once per {@link Labels} object. That
 * relies on {@code ListenqCollector}'s series cache handing back the very same {@code Labels} for a series that did not
 * change (and the same metadata, its {@code Metric} constants): an idle re-encode then formats only the values.
 *
 * <p>Everything else (small families: the JVM's and Micrometer's meters; histograms, summaries, state sets; names or
 * label names client_java would quote; scrape timestamps, exemplars, created timestamps) is written by client_java,
 * one family at a time ({@link CachedWriter}).
 */
public final class CachedTextWriter extends CachedWriter<CachedTextWriter.Head> {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] OPENMETRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    /** A family's lines before its first series, and the series name each line starts with. */
    record Head(byte[] header, byte[] name) {}

    /** @param minPoints families with fewer points go to client_java (tests: 1, every family through the cache) */
    public CachedTextWriter(ExpositionFormatWriter reference, int minPoints) {
        super(
                reference,
                reference instanceof OpenMetricsTextFormatWriter ? OPENMETRICS_EOF : EMPTY,
                minPoints,
                LabelBlocks::text);
    }

    /** The Prometheus text format 0.0.4 (client_java's default text writer, no created timestamps). */
    public static CachedTextWriter text() {
        return new CachedTextWriter(PrometheusTextFormatWriter.create(), MIN_POINTS);
    }

    /** OpenMetrics 1.0 text, as Prometheus asks for it (client_java's default: no created timestamps). */
    public static CachedTextWriter openMetrics() {
        return new CachedTextWriter(OpenMetricsTextFormatWriter.create(), MIN_POINTS);
    }

    /** This writer for client_java's own {@code w} when it writes the same bytes, else {@code w} itself. */
    public static ExpositionFormatWriter replacing(ExpositionFormatWriter w) {
        return w.getClass() == PrometheusTextFormatWriter.class
                ? text()
                : w.getClass() == OpenMetricsTextFormatWriter.class ? openMetrics() : w;
    }

    @Override
    void copy(Head head, int n, IntFunction<byte[]> labels, IntToDoubleFunction values, boolean info)
            throws IOException {
        sink.put(head.header);
        for (int i = 0; i < n; i++) {
            sink.put(head.name);
            sink.put(labels.apply(i));
            sink.put((byte) ' ');
            if (info) {
                sink.put((byte) '1');
            } else {
                sink.putDouble(values.applyAsDouble(i));
            }
            sink.put((byte) '\n');
        }
    }

    @Override
    byte[] rowLabels(RowFamilies rows, int f, int i) {
        return rows.text(f, i);
    }

    /** The header and series name of a family, from client_java's rendering of a one-point unlabelled probe. */
    @Override
    Head probe(MetricSnapshot s) throws IOException {
        byte[] all = render(Families.probe(s, 0));
        int end = all.length - trailerLength() - 1; // the probe line's '\n'
        int start = end;
        while (start > 0 && all[start - 1] != '\n') {
            start--;
        }
        int space = end;
        while (space > start && all[space] != ' ') {
            space--;
        }
        byte[] header = Arrays.copyOfRange(all, 0, start);
        byte[] name = Arrays.copyOfRange(all, start, space);
        // a name client_java puts inside the braces ({"my.metric",...}) is not a plain prefix
        boolean plain = end > 0 && name.length > 0 && name[0] != '{' && all[end] == '\n';
        return plain ? new Head(header, name) : null;
    }
}
