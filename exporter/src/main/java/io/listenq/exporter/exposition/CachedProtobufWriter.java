package io.listenq.exporter.exposition;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * The Prometheus protobuf format (length-delimited {@code io.prometheus.client.MetricFamily} messages), byte for byte
 * as client_java's {@link PrometheusProtobufWriter} writes it, without building a protobuf object per series: client_java
 * allocated ~90 MB per encode at 10,000 listener series. As {@link CachedTextWriter} does for text, a large family of
 * gauges, counters, unknowns or info series is written from bytes client_java rendered: its fields before and after
 * the {@code metric} field (4) and the fields of one {@code Metric} but its labels, from two one-point probes (values 0
 * and 1, which locate the value's 8 bytes), once per {@link MetricMetadata} object; each series' {@code LabelPair}s once
 * per {@link Labels} object ({@link LabelBlocks}). This relies on protobuf writing fields in field-number order (labels,
 * field 1, before the value's field), as generated code does.
 *
 * <p>Anything else goes to client_java, family by family ({@link CachedWriter}).
 */
public final class CachedProtobufWriter extends CachedWriter<CachedProtobufWriter.Head> {
    private static final int METRIC_TAG = 4 << 3 | 2;

    /**
     * A family's bytes but its metrics ({@code before}, {@code after}); a {@code Metric} without labels ({@code metric});
     * where in it the value's fixed64 is ({@code value}, -1 for info: always 1).
     */
    record Head(byte[] before, byte[] after, byte[] metric, int value) {}

    /** @param minPoints families with fewer points go to client_java (tests: 1) */
    public CachedProtobufWriter(PrometheusProtobufWriter reference, int minPoints) {
        super(reference, new byte[0], minPoints, LabelBlocks::protobuf);
    }

    /** This writer for client_java's own protobuf writer, else {@code w} itself. */
    public static ExpositionFormatWriter replacing(ExpositionFormatWriter w) {
        return w instanceof PrometheusProtobufWriter p
                        && p.getClass() == PrometheusProtobufWriter.class
                        && p.isAvailable()
                ? new CachedProtobufWriter(p, MIN_POINTS)
                : w;
    }

    @Override
    void copy(Head head, int n, IntFunction<byte[]> labels, IntToDoubleFunction values, boolean info)
            throws IOException {
        int size = head.before.length + head.after.length;
        for (int i = 0; i < n; i++) {
            int m = labels.apply(i).length + head.metric.length;
            size += 1 + LabelBlocks.varintSize(m) + m;
        }
        sink.putVarint(size);
        sink.put(head.before);
        for (int i = 0; i < n; i++) {
            byte[] l = labels.apply(i);
            sink.put((byte) METRIC_TAG);
            sink.putVarint(l.length + head.metric.length);
            sink.put(l);
            if (head.value < 0) {
                sink.put(head.metric);
            } else {
                sink.put(head.metric, 0, head.value);
                sink.putFixed64(Double.doubleToRawLongBits(values.applyAsDouble(i)));
                sink.put(head.metric, head.value + 8, head.metric.length - head.value - 8);
            }
        }
        sink.put(head.after);
    }

    @Override
    byte[] rowLabels(RowFamilies rows, int f, int i) {
        return rows.protobuf(f, i);
    }

    /** Splits client_java's bytes of two one-point probes (values 0 and 1) into the parts of a {@link Head}. */
    @Override
    Head probe(MetricSnapshot s) throws IOException {
        byte[] zero = render(Families.probe(s, 0));
        byte[] one = render(Families.probe(s, 1));
        int[] z = metricField(zero);
        int[] o = metricField(one);
        if (z == null || o == null || zero.length != one.length || z[0] != o[0] || z[1] != o[1]) {
            return null;
        }
        int value = -1;
        for (int i = z[0]; i < z[1]; i++) {
            if (zero[i] != one[i]) {
                value = i;
                break;
            }
        }
        boolean info = s instanceof InfoSnapshot;
        long bitsOfOne = Double.doubleToRawLongBits(1);
        if (!info) {
            // 1.0's fixed64 is 00 00 00 00 00 00 f0 3f: the first byte that differs is its 7th
            value -= 6;
            if (value < z[0] + 1 || value + 8 > z[1] || zero[value - 1] != 0x09) {
                return null;
            }
            for (int i = 0; i < 8; i++) {
                if (zero[value + i] != 0 || one[value + i] != (byte) (bitsOfOne >>> (8 * i))) {
                    return null;
                }
            }
            value -= z[0];
        } else if (value != -1) {
            return null;
        }
        return new Head(
                Arrays.copyOfRange(zero, z[2], z[3]),
                Arrays.copyOfRange(zero, z[1], zero.length),
                Arrays.copyOfRange(zero, z[0], z[1]),
                value);
    }

    /**
     * In one delimited family with one metric: {start, end} of the metric's payload, {start, end} of the family's
     * fields before it; null when it is not that.
     */
    private static int[] metricField(byte[] b) {
        int[] at = {0};
        long length = varint(b, at);
        int fields = at[0];
        if (length != b.length - fields) {
            return null;
        }
        int[] found = null;
        while (at[0] < b.length) {
            int fieldStart = at[0];
            long tag = varint(b, at);
            switch ((int) (tag & 7)) {
                case 0 -> varint(b, at);
                case 1 -> at[0] += 8;
                case 5 -> at[0] += 4;
                case 2 -> {
                    long len = varint(b, at);
                    if (tag == METRIC_TAG) {
                        if (found != null) {
                            return null;
                        }
                        found = new int[] {at[0], (int) (at[0] + len), fields, fieldStart};
                    }
                    at[0] += (int) len;
                }
                default -> {
                    return null;
                }
            }
            if (at[0] > b.length) {
                return null;
            }
        }
        return found;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; at[0] < b.length && shift < 64; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
        return -1;
    }
}
