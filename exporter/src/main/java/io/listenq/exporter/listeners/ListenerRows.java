package io.listenq.exporter.listeners;

import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Every listener of a snapshot, sorted by {@link ListenerRow#TROUBLE}, and the filters of the JSON API. */
public final class ListenerRows {
    private ListenerRows() {}

    /** All listeners of {@code s}, most troubled first; empty for no snapshot yet. */
    public static List<ListenerRow> of(Snapshot s) {
        if (s == null) {
            return List.of();
        }
        List<ListenerRow> rows = new ArrayList<>(s.listenerCount());
        for (NamespaceSample ns : s.namespaces()) {
            for (ListenerSample l : ns.listeners()) {
                rows.add(ListenerRow.of(s, ns.identity(), l));
            }
        }
        rows.sort(ListenerRow.TROUBLE);
        return List.copyOf(rows);
    }

    /**
     * What to keep: {@code netns} matches a namespace's inode or name exactly; {@code minFill} keeps listeners whose
     * length over backlog is at least that (0 to 1, or more: a full queue holds backlog + 1).
     */
    public record Filter(Optional<String> netns, OptionalDouble minFill) {
        public static final Filter ALL = new Filter(Optional.empty(), OptionalDouble.empty());

        /**
         * From query parameters; unknown parameters are ignored, as web APIs do.
         *
         * @throws IllegalArgumentException with the message to answer (HTTP 400) for a bad value
         */
        public static Filter parse(Map<String, List<String>> query) {
            Optional<String> netns = single(query, "netns").map(String::strip);
            if (netns.isPresent() && netns.get().isEmpty()) {
                throw new IllegalArgumentException("netns: empty; give a namespace inode or name");
            }
            OptionalDouble minFill = OptionalDouble.empty();
            Optional<String> fill = single(query, "min_fill");
            if (fill.isPresent()) {
                double v;
                try {
                    v = Double.parseDouble(fill.get().strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "min_fill: '" + fill.get() + "' is not a number (0 to 1, e.g. 0.8)");
                }
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException(
                            "min_fill: " + fill.get() + " must be a finite number >= 0 (0 to 1, e.g. 0.8)");
                }
                minFill = OptionalDouble.of(v);
            }
            return new Filter(netns, minFill);
        }

        private static Optional<String> single(Map<String, List<String>> query, String name) {
            List<String> values = query.getOrDefault(name, List.of());
            if (values.size() > 1) {
                throw new IllegalArgumentException(name + ": given " + values.size() + " times, at most once");
            }
            return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        public boolean keeps(ListenerRow r) {
            if (netns.isPresent()
                    && !netns.get().equals(r.sample().key().netns())
                    && !netns.get().equals(r.namespace().name())) {
                return false;
            }
            return minFill.isEmpty() || r.sample().fillRatio() >= minFill.getAsDouble();
        }

        public boolean keepsAll() {
            return netns.isEmpty() && minFill.isEmpty();
        }
    }

    public static List<ListenerRow> filter(List<ListenerRow> rows, Filter f) {
        if (f.keepsAll()) {
            return rows;
        }
        List<ListenerRow> out = new ArrayList<>();
        for (ListenerRow r : rows) {
            if (f.keeps(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
