package io.listenq.collectors.procfs;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * All counters of {@code /proc/<pid>/net/netstat} and/or {@code /proc/<pid>/net/snmp}, by prefix then
 * column name ({@code TcpExt} -> {@code ListenOverflows} -> value).
 *
 * <p>Parsed by column name, never by position: kernels add columns, and a whole pair can be missing
 * ({@code IcmpMsg} is absent in a fresh namespace). Lookups of absent columns return
 * {@link OptionalLong#empty()}. Values are the kernel's unsigned 64-bit counters stored as {@code long}
 * bit patterns; a signed {@code -1} in the file ({@code Tcp: MaxConn}) is stored as {@code -1L}, the same
 * pattern as 2^64-1. See {@link CounterLines}.
 *
 * <p>This is the general form. The sampler's hot path should use {@link CounterSelection}, which
 * extracts a few columns without building these maps.
 */
public record NetCounters(Map<String, Map<String, Long>> sections) {

    public static final NetCounters EMPTY = new NetCounters(Map.of());

    public NetCounters {
        Objects.requireNonNull(sections, "sections");
        Map<String, Map<String, Long>> copy = new HashMap<>(sections.size() * 2);
        sections.forEach((prefix, columns) -> copy.put(prefix, Map.copyOf(columns)));
        sections = Map.copyOf(copy);
    }

    /**
     * Parses the content of a netstat or snmp file.
     *
     * @param source names the text in error messages (usually its path)
     * @throws ProcfsFormatException on a header without values, a value line with another prefix, a count
     *     mismatch, a value that is not a 64-bit decimal integer, or a prefix or column name seen twice
     */
    public static NetCounters parse(String source, String text) throws ProcfsFormatException {
        Objects.requireNonNull(text, "text");
        Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
        CounterLines.scan(Objects.requireNonNull(source, "source"), text, (lines, pStart, pEnd, headerLine) -> {
            Map<String, Long> columns = new LinkedHashMap<>(lines.count() * 2);
            String t = lines.text();
            for (int i = 0; i < lines.count(); i++) {
                String name = t.substring(lines.nameStart(i), lines.nameEnd(i));
                if (columns.put(name, lines.value(i)) != null) {
                    throw new ProcfsFormatException(
                            lines.source(),
                            headerLine,
                            t.substring(pStart, pEnd) + ": column " + name + " appears twice");
                }
            }
            sections.put(t.substring(pStart, pEnd), columns);
        });
        return new NetCounters(sections);
    }

    public OptionalLong get(String prefix, String name) {
        Map<String, Long> columns = sections.get(prefix);
        Long v = columns == null ? null : columns.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public OptionalLong get(CounterKey key) {
        return get(key.prefix(), key.name());
    }

    public boolean has(String prefix, String name) {
        Map<String, Long> columns = sections.get(prefix);
        return columns != null && columns.containsKey(name);
    }

    public boolean has(CounterKey key) {
        return has(key.prefix(), key.name());
    }

    /**
     * Both files' counters together (netstat and snmp use disjoint prefixes).
     *
     * @throws IllegalArgumentException if a (prefix, name) is present in both
     */
    public NetCounters merge(NetCounters other) {
        Map<String, Map<String, Long>> merged = new HashMap<>(sections);
        other.sections.forEach((prefix, columns) -> merged.merge(prefix, columns, (a, b) -> {
            Map<String, Long> both = new HashMap<>(a);
            b.forEach((name, value) -> {
                if (both.put(name, value) != null) {
                    throw new IllegalArgumentException("counter " + prefix + ":" + name + " present in both");
                }
            });
            return both;
        }));
        return new NetCounters(merged);
    }
}
