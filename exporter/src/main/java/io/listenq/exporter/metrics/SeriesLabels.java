package io.listenq.exporter.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The {@link Labels} of one family's series, kept from one build to the next. {@code Labels.of} validates every label
 * name on every call (client_java 1.10 runs a UTF-8 {@code CharsetEncoder} over each): with 10,000 listeners that was
 * most of the allocation of a build (~40 MB) and much of its CPU. A series whose key and label values are the same
 * as in the build before gets the same {@code Labels} object; series gone from the snapshot are forgotten with it.
 * Not thread-safe: {@link ListenqCollector} builds under its lock.
 *
 * @param <K> what identifies a series (netns, listener key)
 * @param <D> the rest of its label values (an owner, an identity), compared with {@code equals}
 */
final class SeriesLabels<K, D> {
    private final BiFunction<K, D, Labels> make;
    private Map<K, Entry<D>> last = new HashMap<>();
    private Map<K, Entry<D>> next = new HashMap<>();

    /** @param make the labels of a series, from its key and details; a static method, so calls allocate nothing */
    SeriesLabels(BiFunction<K, D, Labels> make) {
        this.make = make;
    }

    Labels get(K key, D detail) {
        Entry<D> e = next.get(key);
        if (e == null) {
            e = last.get(key);
            if (e == null || !Objects.equals(e.detail, detail)) {
                e = new Entry<>(detail, make.apply(key, detail));
            }
            next.put(key, e);
        }
        return e.labels;
    }

    /** Ends a build: what it did not ask for is forgotten. */
    void endBuild() {
        last = next;
        next = new HashMap<>(Math.max(16, last.size() * 2));
    }

    private record Entry<D>(D detail, Labels labels) {}
}
