package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
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

    /** The text block of {@code labels} (see {@link LabelBytes#text}); null when a name is not written as it is. */
    static byte[] text(Labels labels) {
        return plainNames(labels) ? LabelBytes.text(labels.size(), labels::getName, labels::getValue) : null;
    }

    /** The protobuf block of {@code labels} (see {@link LabelBytes#protobuf}); null as for {@link #text}. */
    static byte[] protobuf(Labels labels) {
        return plainNames(labels) ? LabelBytes.protobuf(labels.size(), labels::getName, labels::getValue) : null;
    }

    private static boolean plainNames(Labels labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (!plainName(labels, i)) {
                return false;
            }
        }
        return true;
    }

    /** A label name client_java writes as it is (no quoting, no escaping). */
    private static boolean plainName(Labels labels, int i) {
        String name = labels.getName(i);
        return PrometheusNaming.isValidLegacyLabelName(name) && name.equals(labels.getPrometheusName(i));
    }

    static int varintSize(int v) {
        return LabelBytes.varintSize(v);
    }
}
