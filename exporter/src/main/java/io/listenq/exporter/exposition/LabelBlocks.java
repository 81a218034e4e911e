package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * The rendered labels of each {@link Labels} object a write meets (text: {@code {netns="...",port="8080"}}; protobuf:
 * the {@code LabelPair} fields), kept for the next write while the collector hands back the same object (an unchanged
 * series); those a write did not meet are forgotten when it ends. ~11,000 blocks at 10,000 listeners: ~1 MB.
 */
final class LabelBlocks {
    private static final byte[] EMPTY = new byte[0];
    private final Function<Labels, byte[]> render;
    private IdentityHashMap<Labels, byte[]> last = new IdentityHashMap<>();
    private IdentityHashMap<Labels, byte[]> next = new IdentityHashMap<>();

    /** @param render the bytes of some labels, null when they cannot be copied (client_java writes the family) */
    LabelBlocks(Function<Labels, byte[]> render) {
        this.render = render;
    }

    /** The block of {@code labels}, or null when client_java would quote or escape a label name. */
    byte[] get(Labels labels) {
        byte[] b = next.get(labels);
        if (b == null) {
            b = last.get(labels);
            if (b == null) {
                b = render.apply(labels);
                if (b == null) {
                    return null;
                }
            }
            next.put(labels, b);
        }
        return b;
    }

    /**
     * The labels of every point, in {@code into} when it is large enough; null when a point is not copied (it has
     * more than labels and a value, or a label name client_java would quote).
     */
    byte[][] of(List<? extends DataPointSnapshot> points, byte[][] into) {
        int n = points.size();
        byte[][] out = into.length >= n ? into : new byte[Math.max(n, into.length * 2)][];
        for (int i = 0; i < n; i++) {
            DataPointSnapshot p = points.get(i);
            out[i] = Families.plain(p) ? get(p.getLabels()) : null;
            if (out[i] == null) {
                Arrays.fill(out, 0, i, null);
                return null;
            }
        }
        return out;
    }

    /** Ends a write: what it met is kept, the rest forgotten. */
    void endWrite() {
        IdentityHashMap<Labels, byte[]> m = last;
        last = next;
        next = m;
        next.clear(); // keeps its table: no new one per write
    }

    /**
     * As client_java's {@code TextFormatUtil.writeLabels} writes legacy label names: {@code name="value"} joined by
     * commas in braces, the value with backslash, double quote and newline escaped; UTF-8.
     */
    static byte[] text(Labels labels) {
        if (labels.isEmpty()) {
            return EMPTY;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append('{');
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.getName(i);
            if (!plainName(labels, i)) {
                return null;
            }
            if (i > 0) {
                sb.append(',');
            }
            sb.append(name).append("=\"");
            String v = labels.getValue(i);
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * As client_java's protobuf writer adds them to a {@code Metric}: for each label a {@code LabelPair} (field 1,
     * length-delimited) of name (field 1) and value (field 2), both always present (proto2), UTF-8.
     */
    static byte[] protobuf(Labels labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int i = 0; i < labels.size(); i++) {
            if (!plainName(labels, i)) {
                return null;
            }
            byte[] name = labels.getName(i).getBytes(StandardCharsets.UTF_8);
            byte[] value = labels.getValue(i).getBytes(StandardCharsets.UTF_8);
            out.write(0x0a);
            varint(out, 1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length);
            out.write(0x0a);
            varint(out, name.length);
            out.writeBytes(name);
            out.write(0x12);
            varint(out, value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** A label name client_java writes as it is (no quoting, no escaping). */
    private static boolean plainName(Labels labels, int i) {
        String name = labels.getName(i);
        return PrometheusNaming.isValidLegacyLabelName(name) && name.equals(labels.getPrometheusName(i));
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void varint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }
}
