package io.listenq.exporter.cli;

import java.time.Duration;

/** Prometheus-style durations: {@code 100ms}, {@code 1s}, {@code 1m30s}, {@code 2h}; no bare numbers. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        long totalMillis = 0;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 12) {
                throw new IllegalArgumentException("'" + text + "' is not a duration like 100ms, 1s, 1m30s");
            }
            long amount = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            long unitMillis = switch (text.substring(unitStart, i)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> throw new IllegalArgumentException("'" + text + "' has no valid unit (ms, s, m, h, d)");
            };
            totalMillis = Math.addExact(totalMillis, Math.multiplyExact(amount, unitMillis));
        }
        return Duration.ofMillis(totalMillis);
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
