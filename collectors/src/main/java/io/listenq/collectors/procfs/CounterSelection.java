package io.listenq.collectors.procfs;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A fixed set of up to 64 counters to pull out of netstat/snmp text without building a map: the
 * sampler's per-namespace, per-second path. Like a compiled {@link java.util.regex.Pattern}, build it
 * once and reuse it; it is immutable and thread-safe.
 *
 * <p>The text is validated exactly as {@link NetCounters#parse} does (every pair, every value), so a
 * garbled file fails here too; only the wanted names are compared and only their values kept. Parsing
 * allocates the result and a few small offset arrays, no per-column strings.
 */
public final class CounterSelection {

    private final List<CounterKey> keys;

    public CounterSelection(List<CounterKey> keys) {
        this.keys = List.copyOf(keys);
        if (this.keys.isEmpty() || this.keys.size() > Long.SIZE) {
            throw new IllegalArgumentException("need 1 to 64 keys, got " + this.keys.size());
        }
        if (new HashSet<>(this.keys).size() != this.keys.size()) {
            throw new IllegalArgumentException("duplicate keys: " + this.keys);
        }
    }

    public List<CounterKey> keys() {
        return keys;
    }

    /** Index of {@code key} in {@link #keys()}, or -1. */
    public int indexOf(CounterKey key) {
        return keys.indexOf(key);
    }

    /**
     * Extracts the selected counters from one netstat or snmp file's text.
     *
     * @throws ProcfsFormatException for the same malformations as {@link NetCounters#parse}
     */
    public SelectedCounters parse(String source, String text) throws ProcfsFormatException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        long[] values = new long[keys.size()];
        long[] present = new long[1];
        CounterLines.scan(source, text, (lines, pStart, pEnd, headerLine) -> {
            String t = lines.text();
            int prefixLen = pEnd - pStart;
            for (int k = 0; k < keys.size(); k++) {
                CounterKey key = keys.get(k);
                if (key.prefix().length() != prefixLen || !t.regionMatches(pStart, key.prefix(), 0, prefixLen)) {
                    continue;
                }
                for (int i = 0; i < lines.count(); i++) {
                    if (lines.nameEquals(i, key.name())) {
                        if ((present[0] & (1L << k)) != 0) {
                            throw new ProcfsFormatException(source, headerLine, key + " appears twice");
                        }
                        values[k] = lines.value(i);
                        present[0] |= 1L << k;
                    }
                }
            }
        });
        return new SelectedCounters(this, values, present[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CounterSelection s && s.keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "CounterSelection" + keys;
    }
}
