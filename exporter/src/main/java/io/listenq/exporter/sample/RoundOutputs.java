package io.listenq.exporter.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A round's output list, made only once it differs from the last round's: a round in which every namespace is
 * the same object as before allocates no list (and the snapshot, owners and collector see the same one).
 */
final class RoundOutputs {
    private final List<NamespaceSample> last;
    private final int size;
    private List<NamespaceSample> made;

    RoundOutputs(List<NamespaceSample> last, int size) {
        this.last = last;
        this.size = size;
    }

    void add(int n, NamespaceSample ns) {
        if (made == null) {
            if (n < last.size() && last.get(n) == ns) {
                return;
            }
            made = new ArrayList<>(size);
            made.addAll(last.subList(0, n));
        }
        made.add(ns);
    }

    List<NamespaceSample> list() {
        if (made != null) {
            return made;
        }
        return size == last.size() ? last : new ArrayList<>(last.subList(0, size));
    }
}
