package io.listenq.exporter.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Status counts of the attack's responses (-1: closed by the server). */
public final class StatusCounts {
    private final ConcurrentHashMap<Integer, AtomicLong> counts = new ConcurrentHashMap<>();

    public void add(int code) {
        counts.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    public long count(int code) {
        AtomicLong n = counts.get(code);
        return n == null ? 0 : n.get();
    }

    @Override
    public String toString() {
        return new java.util.TreeMap<>(counts).toString();
    }
}
