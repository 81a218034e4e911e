package io.listenq.exporter.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * What one series turns into ({@code Labels}, data points), kept from one build to the next while what it is made
 * from stays equal. {@code Labels.of} validates every label name on every call (client_java 1.10 runs a UTF-8
 * {@code CharsetEncoder} over each): with 10,000 listeners that was most of the allocation of a build (~40 MB) and much
 * of its CPU; and the 70,000 data points of idle listeners, rebuilt every round, outlived the young generation during
 * a long encode and filled the old one. Series gone from the snapshot are forgotten with it. Not thread-safe:
 * {@link ListenqCollector} builds under its lock.
 *
 * @param <K> what identifies a series (netns, listener key)
 * @param <D> what the value is made from (a listener sample, an owner, an identity), compared with {@code equals}
 * @param <V> what is kept
 */
final class SeriesCache<K, D, V> {
    private final BiFunction<K, D, V> make;
    private Map<K, Entry<D, V>> last = new HashMap<>();
    private Map<K, Entry<D, V>> next = new HashMap<>();

    /** @param make the value of a series, from its key and details; created once, so calls allocate nothing */
    SeriesCache(BiFunction<K, D, V> make) {
        this.make = make;
    }

    V get(K key, D detail) {
        Entry<D, V> e = next.get(key);
        if (e == null) {
            e = last.get(key);
            if (e == null || !Objects.equals(e.detail, detail)) {
                e = new Entry<>(detail, make.apply(key, detail));
            }
            next.put(key, e);
        }
        return e.value;
    }

    /** Ends a build: what it did not ask for is forgotten. */
    void endBuild() {
        last = next;
        next = new HashMap<>(Math.max(16, last.size() * 2));
    }

    private record Entry<D, V>(D detail, V value) {}
}
