package io.listenq.exporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The JVM options the exporter ships with: src/main/runtime/jvm.options, the one place they are kept. */
public final class JvmOptions {
    public static final Path FILE = Path.of("src/main/runtime/jvm.options");

    private JvmOptions() {}

    /** The options, one per line, without comments and blank lines. */
    public static List<String> shipped() {
        try {
            return Files.readAllLines(FILE).stream()
                    .map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JVM size ("64m", "256k", "1g", "1048576") in bytes. */
    public static long bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
