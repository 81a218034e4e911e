package io.listenq.exporter.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The Prometheus text format (0.0.4), byte for byte as client_java's {@link PrometheusTextFormatWriter#create()} writes
 * it, for large families at a fraction of its cost. client_java goes through a {@code BufferedWriter} and an
 * {@code OutputStreamWriter}, escapes every label value character by character and formats every value through a
 * {@code String}: at 10,000 listener series (~8 MB) that is most of an encode. Here a family of gauges, counters,
 * unknowns or info series with at least {@link #MIN_POINTS} points is written as byte copies: its header lines and
 * series name are rendered by client_java itself once per {@link MetricMetadata} object (from a one-point probe of the
 * same family), and each series' label block ({@code {netns="...",port="..."}}) is rendered once per {@link Labels}
 * object. That relies on {@code ListenqCollector}'s series cache handing back the very same {@code Labels} for a series
 * that did not change (and the same metadata, its {@code Metric} constants): an idle re-encode then renders only the
 * values. Labels and metadata no longer written are forgotten at the end of each write.
 *
 * <p>Everything else (small families: the JVM's and Micrometer's meters; histograms, summaries, state sets; names or
 * label names client_java would quote or escape; scrape timestamps) is handed to client_java one family at a time,
 * which writes families independently of each other. Created timestamps are not written (client_java's default).
 *
 * <p>Not thread-safe: one writer per encoding lock (an instance keeps its caches between writes).
 */
public final class CachedTextWriter implements ExpositionFormatWriter {
    /** Smaller families go to client_java: their cost is negligible and their metadata is often new every scrape. */
    static final int MIN_POINTS = 8;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] OPENMETRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    /** client_java's writer of the same format: every header, and every family not copied here. */
    private final ExpositionFormatWriter reference;
    /** What the reference writes after the last family ({@code # EOF} in OpenMetrics), not after each. */
    private final byte[] trailer;

    private final ByteSink sink = new ByteSink();
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(8192);
    private final LabelBlocks blocks = new LabelBlocks();
    private IdentityHashMap<MetricMetadata, Head> heads = new IdentityHashMap<>();
    private IdentityHashMap<MetricMetadata, Head> nextHeads = new IdentityHashMap<>();
    private byte[][] lineBlocks = new byte[64][];
    private final int minPoints;
    /** How many families the last write copied rather than handed to client_java (tests). */
    private int copied;

    /**
     * @param minPoints families with fewer points go to client_java (tests: 1, every family through the cache)
     */
    public CachedTextWriter(ExpositionFormatWriter reference, int minPoints) {
        this.reference = reference;
        this.trailer = reference instanceof OpenMetricsTextFormatWriter ? OPENMETRICS_EOF : EMPTY;
        this.minPoints = minPoints;
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

    /** A family's lines before its first series, and the series name each line starts with. */
    private record Head(Class<?> type, byte[] header, byte[] name) {}

    @Override
    public boolean accepts(String acceptHeader) {
        return reference.accepts(acceptHeader);
    }

    @Override
    public String getContentType() {
        return reference.getContentType();
    }

    @Override
    public synchronized void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme)
            throws IOException {
        if (scheme != EscapingScheme.DEFAULT) {
            reference.write(out, snapshots, scheme);
            return;
        }
        sink.open(out);
        copied = 0;
        try {
            for (MetricSnapshot s : TextFormatUtil.mergeDuplicates(snapshots)) {
                if (s.getDataPoints().isEmpty()) {
                    continue;
                }
                if (!written(s)) {
                    byClientJava(s);
                }
            }
            sink.put(trailer);
            sink.flush();
        } finally {
            sink.open(null);
            swapCaches();
        }
    }

    public int copiedFamilies() {
        return copied;
    }

    /** One family as client_java writes it, less the trailer it adds to every body. */
    private void byClientJava(MetricSnapshot s) throws IOException {
        scratch.reset();
        reference.write(scratch, MetricSnapshots.of(s), EscapingScheme.DEFAULT);
        byte[] b = scratch.toByteArray();
        int end = b.length - trailer.length;
        if (end < 0 || !Arrays.equals(b, end, b.length, trailer, 0, trailer.length)) {
            throw new IllegalStateException(
                    "client_java's " + reference.getClass().getSimpleName() + " changed");
        }
        sink.put(b, end);
    }

    /** Writes a family as byte copies; false (and nothing written) when it must go to client_java. */
    private boolean written(MetricSnapshot s) throws IOException {
        List<? extends DataPointSnapshot> points = s.getDataPoints();
        int n = points.size();
        if (n < minPoints
                || !(s instanceof GaugeSnapshot
                        || s instanceof CounterSnapshot
                        || s instanceof UnknownSnapshot
                        || s instanceof InfoSnapshot)) {
            return false;
        }
        if (SnapshotEscaper.escapeMetricSnapshot(s, EscapingScheme.DEFAULT) != s) {
            return false; // a name or label escaping would change: client_java's business
        }
        Head head = head(s);
        if (head == null) {
            return false;
        }
        if (lineBlocks.length < n) {
            lineBlocks = new byte[Math.max(n, lineBlocks.length * 2)][];
        }
        for (int i = 0; i < n; i++) {
            DataPointSnapshot p = points.get(i);
            // a scrape timestamp or an exemplar: client_java's (neither comes from the collector)
            byte[] block = p.hasScrapeTimestamp() || exemplar(p) ? null : blocks.get(p.getLabels());
            if (block == null) {
                return false;
            }
            lineBlocks[i] = block;
        }
        sink.put(head.header);
        for (int i = 0; i < n; i++) {
            sink.put(head.name);
            sink.put(lineBlocks[i]);
            sink.put((byte) ' ');
            DataPointSnapshot p = points.get(i);
            switch (p) {
                case GaugeSnapshot.GaugeDataPointSnapshot g -> sink.putDouble(g.getValue());
                case CounterSnapshot.CounterDataPointSnapshot c -> sink.putDouble(c.getValue());
                case UnknownSnapshot.UnknownDataPointSnapshot u -> sink.putDouble(u.getValue());
                default -> sink.put((byte) '1'); // info
            }
            sink.put((byte) '\n');
            lineBlocks[i] = null;
        }
        copied++;
        return true;
    }

    private static boolean exemplar(DataPointSnapshot p) {
        return switch (p) {
            case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getExemplar() != null;
            case CounterSnapshot.CounterDataPointSnapshot c -> c.getExemplar() != null;
            case UnknownSnapshot.UnknownDataPointSnapshot u -> u.getExemplar() != null;
            default -> false;
        };
    }

    /** The header and series name of a family, rendered by client_java from a probe with one unlabelled point. */
    private Head head(MetricSnapshot s) throws IOException {
        MetricMetadata m = s.getMetadata();
        Head h = nextHeads.get(m);
        if (h == null) {
            h = heads.get(m);
            if (h == null || h.type != s.getClass()) {
                h = probe(s);
            }
            nextHeads.put(m, h);
        }
        return h.name.length == 0 ? null : h;
    }

    private Head probe(MetricSnapshot s) throws IOException {
        MetricMetadata m = s.getMetadata();
        MetricSnapshot one = switch (s) {
            case GaugeSnapshot g ->
                new GaugeSnapshot(m, List.of(new GaugeSnapshot.GaugeDataPointSnapshot(0, Labels.EMPTY, null)));
            case CounterSnapshot c ->
                new CounterSnapshot(m, List.of(new CounterSnapshot.CounterDataPointSnapshot(0, Labels.EMPTY, null, 0)));
            case UnknownSnapshot u ->
                new UnknownSnapshot(m, List.of(new UnknownSnapshot.UnknownDataPointSnapshot(0, Labels.EMPTY, null)));
            default -> new InfoSnapshot(m, List.of(new InfoSnapshot.InfoDataPointSnapshot(Labels.EMPTY)));
        };
        scratch.reset();
        reference.write(scratch, MetricSnapshots.of(one), EscapingScheme.DEFAULT);
        byte[] all = scratch.toByteArray();
        int end = all.length - trailer.length - 1; // the probe line's '\n'
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
        return new Head(s.getClass(), header, plain ? name : EMPTY);
    }

    /** What this write used is kept for the next; the rest (series and families gone) is forgotten. */
    private void swapCaches() {
        blocks.endWrite();
        IdentityHashMap<MetricMetadata, Head> h = heads;
        heads = nextHeads;
        nextHeads = h;
        nextHeads.clear();
    }
}
