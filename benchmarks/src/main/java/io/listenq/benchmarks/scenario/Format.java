package io.listenq.benchmarks.scenario;

import java.util.Locale;

/** Number formats and markdown table rows of the report. */
final class Format {
    private Format() {}

    /** One markdown table row: {@code | a | b | c |}. */
    static String row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        return b.append('\n').toString();
    }

    /** A header row and its alignment row; a column whose name starts with '<' is left-aligned (the '<' dropped). */
    static String header(String... columns) {
        StringBuilder names = new StringBuilder("|");
        StringBuilder align = new StringBuilder("|");
        for (String c : columns) {
            boolean left = c.startsWith("<");
            names.append(' ').append(left ? c.substring(1) : c).append(" |");
            align.append(left ? "---|" : "---:|");
        }
        return names + "\n" + align + "\n";
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String ms(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        double ms = seconds * 1000;
        return (ms < 1 ? f(ms, 3) : ms < 10 ? f(ms, 2) : ms < 100 ? f(ms, 1) : f(ms, 0)) + " ms";
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : f(v, v < 0.1 ? 3 : 2) + "x";
    }

    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "-" : f(bytes / (1 << 20), 1) + " MiB";
    }

    static String kib(double bytes) {
        return Double.isNaN(bytes) ? "-" : f(bytes / 1024, 0) + " KiB";
    }
}
