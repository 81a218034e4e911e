package io.listenq.exporter.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * What the cached writers share: a family is either copied (its fixed bytes, a {@link FamilyHeads head}, plus each
 * point's labels from {@link LabelBlocks} and its value) or handed to client_java's writer of the same format, which
 * writes families independently of each other (as long as created timestamps are off, its default). Both go through
 * one 64 KiB {@link ByteSink}. Not thread-safe beyond {@code write} itself: one writer per encoding lock (an instance
 * keeps its caches between writes).
 *
 * @param <H> a family's fixed bytes
 */
abstract class CachedWriter<H> implements ExpositionFormatWriter, RowWriter {
    /** Smaller families go to client_java: their cost is negligible and their metadata is often new every scrape. */
    static final int MIN_POINTS = 8;

    /** client_java's writer of the same format: probes, and every family not copied. */
    final ExpositionFormatWriter reference;

    final ByteSink sink = new ByteSink();
    private final byte[] trailer;
    private final int minPoints;
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(8192);
    private final LabelBlocks blocks;
    private final FamilyHeads<H> heads = new FamilyHeads<>(this::probe);
    private byte[][] labels = new byte[64][];
    /** How many families the last write copied rather than handed to client_java (tests). */
    private int copied;

    /**
     * @param trailer   what the reference writes after the last family ({@code # EOF} in OpenMetrics), not after each
     * @param minPoints families with fewer points go to client_java (tests: 1, every family through the cache)
     * @param render    the cached bytes of a series' labels
     */
    CachedWriter(ExpositionFormatWriter reference, byte[] trailer, int minPoints, Function<Labels, byte[]> render) {
        this.reference = reference;
        this.trailer = trailer;
        this.minPoints = minPoints;
        this.blocks = new LabelBlocks(render);
    }

    /** The fixed bytes of family {@code s} from client_java's rendering of probes ({@link #render}); null: not copied. */
    abstract H probe(MetricSnapshot s) throws IOException;

    /**
     * Writes a copied family of {@code n} points to {@link #sink}: point {@code i} with labels {@code labels(i)} and
     * value {@code values(i)}; an info family's points are 1 as info points are written.
     */
    abstract void copy(H head, int n, IntFunction<byte[]> labels, IntToDoubleFunction values, boolean info)
            throws IOException;

    /** Point {@code i} of row family {@code f}'s label block in this writer's format. */
    abstract byte[] rowLabels(RowFamilies rows, int f, int i);

    @Override
    public boolean accepts(String acceptHeader) {
        return reference.accepts(acceptHeader);
    }

    @Override
    public String getContentType() {
        return reference.getContentType();
    }

    @Override
    public boolean isAvailable() {
        return reference.isAvailable();
    }

    public int copiedFamilies() {
        return copied;
    }

    @Override
    public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        if (scheme != EscapingScheme.DEFAULT) {
            reference.write(out, snapshots, scheme);
            return;
        }
        write(out, snapshots, (RowFamilies) null);
    }

    @Override
    public synchronized void write(OutputStream out, MetricSnapshots snapshots, RowFamilies rows) throws IOException {
        sink.open(out);
        copied = 0;
        int r = 0;
        int rowFamilies = rows == null ? 0 : rows.count();
        try {
            for (MetricSnapshot s : TextFormatUtil.mergeDuplicates(snapshots)) {
                String name = s.getMetadata().getPrometheusName();
                for (; r < rowFamilies && name(rows, r).compareTo(name) < 0; r++) {
                    writeRows(rows, r);
                }
                List<? extends DataPointSnapshot> points = s.getDataPoints();
                if (points.isEmpty()) {
                    continue;
                }
                H head = heads.copied(s, minPoints);
                byte[][] l = head == null ? null : blocks.of(points, labels);
                if (l == null) {
                    byte[] b = render(s);
                    sink.put(b, b.length - trailer.length);
                    continue;
                }
                labels = l;
                copy(head, points.size(), i -> l[i], i -> Families.value(points.get(i)), s instanceof InfoSnapshot);
                Arrays.fill(l, 0, points.size(), null);
                copied++;
            }
            for (; r < rowFamilies; r++) {
                writeRows(rows, r);
            }
            sink.put(trailer);
            sink.flush();
        } finally {
            sink.open(null);
            blocks.endWrite();
            heads.endWrite();
        }
    }

    private static String name(RowFamilies rows, int f) {
        return rows.prototype(f).getMetadata().getPrometheusName();
    }

    private void writeRows(RowFamilies rows, int f) throws IOException {
        int n = rows.points(f);
        if (n == 0) {
            return;
        }
        MetricSnapshot prototype = rows.prototype(f);
        H head = Families.copyable(prototype) ? heads.get(prototype) : null;
        if (head == null) {
            throw new IllegalStateException("row family " + name(rows, f) + " cannot be written as bytes");
        }
        copy(head, n, i -> rowLabels(rows, f, i), i -> rows.value(f, i), false);
        copied++;
    }

    /** One family as client_java writes it; the trailer it adds, if any, is the last {@code trailer.length} bytes. */
    byte[] render(MetricSnapshot s) throws IOException {
        scratch.reset();
        reference.write(scratch, MetricSnapshots.of(s), EscapingScheme.DEFAULT);
        byte[] b = scratch.toByteArray();
        int end = b.length - trailer.length;
        if (end < 0 || !Arrays.equals(b, end, b.length, trailer, 0, trailer.length)) {
            throw new IllegalStateException(
                    "client_java's " + reference.getClass().getSimpleName() + " changed");
        }
        return b;
    }

    int trailerLength() {
        return trailer.length;
    }
}
