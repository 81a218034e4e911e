package io.listenq.exporter.log;

import java.util.List;

/**
 * The two line formats of Prometheus' exporter-toolkit ({@code --log.format}), with its fields in its order:
 * {@code time}, {@code level}, {@code source}, {@code msg}, then the event's key-value pairs and {@code err}.
 * One event is always one line: newlines inside values are escaped.
 */
public enum LogFormat {
    /** {@code time=2026-11-30T15:00:00.000Z level=INFO source=Sampler.java:97 msg="..."} (go-logfmt quoting). */
    LOGFMT("logfmt") {
        @Override
        void append(StringBuilder line, List<String[]> fields) {
            for (String[] f : fields) {
                if (!line.isEmpty()) {
                    line.append(' ');
                }
                line.append(f[0]).append('=');
                if (needsQuotes(f[1])) {
                    quote(line, f[1], false);
                } else {
                    line.append(f[1]);
                }
            }
        }
    },
    /** {@code {"time":"...","level":"INFO","source":"...","msg":"..."}}: one JSON object per line. */
    JSON("json") {
        @Override
        void append(StringBuilder line, List<String[]> fields) {
            line.append('{');
            for (String[] f : fields) {
                if (line.length() > 1) {
                    line.append(',');
                }
                quote(line, f[0], true);
                line.append(':');
                quote(line, f[1], true);
            }
            line.append('}');
        }
    };

    private final String flagValue;

    LogFormat(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }

    /** Appends the fields (name, value pairs, in order) as one line without its line break. */
    abstract void append(StringBuilder line, List<String[]> fields);

    /** go-logfmt quotes a value that is empty or holds a space, '=', '"' or a control character. */
    static boolean needsQuotes(String v) {
        if (v.isEmpty()) {
            return true;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '=' || c == '"' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A double-quoted string with JSON's escapes (RFC 8259 section 7), which logfmt readers also accept. */
    static void quote(StringBuilder out, String v, boolean json) {
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (json && (c == 0x2028 || c == 0x2029))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
