package io.listenq.collectors.procfs;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The values of a {@link CounterSelection}: {@code values[i]} belongs to {@code selection.keys().get(i)}
 * and is meaningful only when bit {@code i} of {@code present} is set (the column existed in the text).
 * Values are unsigned 64-bit patterns, as in {@link NetCounters}.
 */
public record SelectedCounters(CounterSelection selection, long[] values, long present) {

    public SelectedCounters {
        Objects.requireNonNull(selection, "selection");
        values = values.clone();
        if (values.length != selection.keys().size()) {
            throw new IllegalArgumentException(
                    values.length + " values for " + selection.keys().size() + " keys");
        }
        if (values.length < Long.SIZE && (present >>> values.length) != 0) {
            throw new IllegalArgumentException("present bits beyond the keys: " + Long.toBinaryString(present));
        }
    }

    /** An empty result: nothing present. */
    public static SelectedCounters none(CounterSelection selection) {
        return new SelectedCounters(selection, new long[selection.keys().size()], 0L);
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    public boolean has(CounterKey key) {
        int i = selection.indexOf(key);
        return i >= 0 && (present & (1L << i)) != 0;
    }

    public OptionalLong get(CounterKey key) {
        int i = selection.indexOf(key);
        return i >= 0 && (present & (1L << i)) != 0 ? OptionalLong.of(values[i]) : OptionalLong.empty();
    }

    /** Whether every selected key was found. */
    public boolean complete() {
        return Long.bitCount(present) == values.length;
    }

    /**
     * Combines the results of the two files (netstat and snmp) of one namespace.
     *
     * @throws IllegalArgumentException if the selections differ or a key is present in both
     */
    public SelectedCounters merge(SelectedCounters other) {
        if (!other.selection.equals(selection)) {
            throw new IllegalArgumentException("different selections: " + selection + " and " + other.selection);
        }
        if ((present & other.present) != 0) {
            throw new IllegalArgumentException("keys present in both: " + Long.toBinaryString(present & other.present));
        }
        long[] merged = values.clone();
        for (int i = 0; i < merged.length; i++) {
            if ((other.present & (1L << i)) != 0) {
                merged[i] = other.values[i];
            }
        }
        return new SelectedCounters(selection, merged, present | other.present);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectedCounters s
                && s.selection.equals(selection)
                && s.present == present
                && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(selection, present, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SelectedCounters{");
        for (int i = 0; i < values.length; i++) {
            if ((present & (1L << i)) != 0) {
                sb.append(sb.length() > 17 ? ", " : "")
                        .append(selection.keys().get(i))
                        .append('=')
                        .append(Long.toUnsignedString(values[i]));
            }
        }
        return sb.append('}').toString();
    }
}
