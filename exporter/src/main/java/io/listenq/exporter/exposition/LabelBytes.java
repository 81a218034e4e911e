package io.listenq.exporter.exposition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A series' labels as client_java writes them, for label names it writes as they are (the caller checks that): the
 * text block and the protobuf {@code LabelPair} fields. Labels come in client_java's order (by name).
 */
public final class LabelBytes {
    private static final byte[] EMPTY = new byte[0];

    private LabelBytes() {}

    /**
     * As client_java's {@code TextFormatUtil.writeLabels} writes legacy label names: {@code name="value"} joined by
     * commas in braces, the value with backslash, double quote and newline escaped; UTF-8; nothing without labels.
     */
    public static byte[] text(int n, IntFunction<String> name, IntFunction<String> value) {
        if (n == 0) {
            return EMPTY;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(name.apply(i)).append("=\"");
            String v = value.apply(i);
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
    public static byte[] protobuf(int n, IntFunction<String> name, IntFunction<String> value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int i = 0; i < n; i++) {
            byte[] k = name.apply(i).getBytes(StandardCharsets.UTF_8);
            byte[] v = value.apply(i).getBytes(StandardCharsets.UTF_8);
            out.write(0x0a);
            varint(out, 1 + varintSize(k.length) + k.length + 1 + varintSize(v.length) + v.length);
            out.write(0x0a);
            varint(out, k.length);
            out.writeBytes(k);
            out.write(0x12);
            varint(out, v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
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
