package io.listenq.exporter.cli;

/**
 * Value parsers shared by the commands' flag tables ({@link FlagTable}); each refuses a value with an
 * {@link IllegalArgumentException} whose message says what was expected.
 */
public final class FlagValues {
    private FlagValues() {}

    /** A whole number from {@code min} to {@code max}. */
    public static int wholeNumber(String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    max == Integer.MAX_VALUE ? "must be at least " + min : "must be from " + min + " to " + max);
        }
        return n;
    }

    /** {@code true} or {@code false}. */
    public static boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** {@code auto}, {@code all} or {@code self}. */
    public static NetnsMode netnsMode(String v) {
        for (NetnsMode m : NetnsMode.values()) {
            if (m.flagValue().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected auto, all or self");
    }
}
