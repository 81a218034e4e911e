package io.listenq.exporter.listeners;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.ListenerSample;
import java.util.List;

/**
 * The JSON of {@code GET /api/v1/listeners} and {@code listeners --output=json} (schema: docs/api.md). Written by
 * hand: a few fixed fields, no dependency, and unknown values are {@code null}, never a made-up zero.
 */
public final class ListenersJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ListenersJson() {}

    /** @param timestampMillis when the snapshot's round ended; -1 before the first round (then {@code null}) */
    public static String render(long timestampMillis, List<ListenerRow> rows) {
        StringBuilder b = new StringBuilder(128 + rows.size() * 520);
        b.append("{\"sample_timestamp_seconds\":");
        if (timestampMillis < 0) {
            b.append("null");
        } else {
            long ms = timestampMillis % 1000;
            b.append(timestampMillis / 1000)
                    .append('.')
                    .append(ms < 100 ? (ms < 10 ? "00" : "0") : "")
                    .append(ms);
        }
        b.append(",\"count\":").append(rows.size()).append(",\"listeners\":[");
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            row(b, rows.get(i));
        }
        return b.append("]}\n").toString();
    }

    private static void row(StringBuilder b, ListenerRow r) {
        ListenerSample l = r.sample();
        stringField(b, "\n{\"netns\":", l.key().netns());
        stringField(b, ",\"netns_name\":", r.namespace().name());
        stringField(b, ",\"netns_container_id\":", r.namespace().containerId());
        stringField(b, ",\"netns_pod_uid\":", r.namespace().podUid());
        stringField(b, ",\"family\":", l.key().family());
        stringField(b, ",\"address\":", l.key().address());
        b.append(",\"port\":");
        if (l.key().port().isEmpty()) {
            b.append("null");
        } else {
            b.append(l.key().port());
        }
        b.append(",\"length\":")
                .append(l.acceptQueue())
                .append(",\"backlog\":")
                .append(l.backlog())
                .append(",\"peak\":")
                .append(l.peak())
                .append(",\"full\":")
                .append(l.full())
                .append(",\"fill_ratio\":");
        number(b, l.fillRatio());
        b.append(",\"drops_total\":");
        optional(b, l.drops());
        b.append(",\"drops_per_second\":");
        if (l.dropRate().isEmpty()) {
            b.append("null");
        } else {
            number(b, l.dropRate().getAsDouble());
        }
        b.append(",\"syn_queue\":");
        optional(b, l.synQueue());
        b.append(",\"sockets\":").append(l.sockets()).append(",\"owner\":");
        ListenerOwner o = r.owner();
        if (!o.isKnown()) {
            b.append("null");
        } else {
            stringField(b, "{\"cgroup\":", o.cgroup());
            stringField(b, ",\"unit\":", o.unit());
            stringField(b, ",\"container_id\":", o.containerId());
            stringField(b, ",\"pod_uid\":", o.podUid());
            b.append('}');
        }
        b.append('}');
    }

    private static void optional(StringBuilder b, java.util.OptionalLong v) {
        if (v.isEmpty()) {
            b.append("null");
        } else {
            b.append(v.getAsLong());
        }
    }

    /** At most 4 decimals, no exponent: ratios and rates, read by people and jq alike. */
    private static void number(StringBuilder b, double v) {
        long scaled = Math.round(v * 10_000);
        b.append(scaled / 10_000);
        long frac = scaled % 10_000;
        if (frac != 0) {
            b.append('.');
            for (long unit = 1000; frac != 0; unit /= 10) { // digits of the 4 decimals, trailing zeros left out
                b.append((char) ('0' + frac / unit));
                frac %= unit;
            }
        }
    }

    private static void stringField(StringBuilder b, String nameAndColon, String value) {
        b.append(nameAndColon);
        string(b, value);
    }

    /** RFC 8259 string: quote, backslash and control characters escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append("\\u")
                                .append(HEX[c >> 12 & 15])
                                .append(HEX[c >> 8 & 15])
                                .append(HEX[c >> 4 & 15])
                                .append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
