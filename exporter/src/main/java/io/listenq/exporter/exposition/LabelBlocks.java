package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;

/**
 * The rendered label block ({@code {netns="...",port="8080"}}) of each {@link Labels} object a write meets, kept for
 * the next write while the collector hands back the same object (an unchanged series); those a write did not meet are
 * forgotten when it ends. ~11,000 blocks at 10,000 listeners: ~1 MB.
 */
final class LabelBlocks {
    private static final byte[] EMPTY = new byte[0];
    private IdentityHashMap<Labels, byte[]> last = new IdentityHashMap<>();
    private IdentityHashMap<Labels, byte[]> next = new IdentityHashMap<>();

    /** The block of {@code labels}, or null when client_java would quote or escape a label name. */
    byte[] get(Labels labels) {
        byte[] b = next.get(labels);
        if (b == null) {
            b = last.get(labels);
            if (b == null) {
                b = render(labels);
                if (b == null) {
                    return null;
                }
            }
            next.put(labels, b);
        }
        return b;
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
    static byte[] render(Labels labels) {
        if (labels.isEmpty()) {
            return EMPTY;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append('{');
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.getName(i);
            if (!PrometheusNaming.isValidLegacyLabelName(name) || !name.equals(labels.getPrometheusName(i))) {
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
}
