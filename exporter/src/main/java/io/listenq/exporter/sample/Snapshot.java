package io.listenq.exporter.sample;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one sampling round saw: immutable, swapped in whole, served as is by every scrape until the next.
 *
 * @param timestampMillis    wall-clock time the round ended
 * @param roundSeconds       how long the round took
 * @param namespaces         sorted by netns
 * @param collectors         sorted by name
 * @param netnsErrors        cumulative namespace errors by reason (since start)
 * @param listenersDropped   listener series this round left out because of --max-listeners
 */
public record Snapshot(long timestampMillis, double roundSeconds, List<NamespaceSample> namespaces, List<CollectorResult> collectors,
                       Map<String, Long> netnsErrors, long listenersDropped) {
    public Snapshot {
        namespaces = List.copyOf(namespaces);
        collectors = List.copyOf(collectors);
        netnsErrors = Map.copyOf(netnsErrors);
        Objects.requireNonNull(namespaces);
    }

    public int listenerCount() {
        int n = 0;
        for (NamespaceSample ns : namespaces) {
            n += ns.listeners().size();
        }
        return n;
    }
}
