package io.listenq.exporter.cli;

import java.util.function.Function;

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
        return choice(v, NetnsMode.values(), NetnsMode::flagValue, "expected auto, all or self");
    }

    /** The constant whose flag value is {@code v}. */
    public static <E> E choice(String v, E[] constants, Function<E, String> flagValue, String expected) {
        for (E e : constants) {
            if (flagValue.apply(e).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException(expected);
    }
}
