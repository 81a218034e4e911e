package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.ListenerOwner;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything one sampling round saw: immutable, swapped in whole, served as is by every scrape until the next.
 *
 * @param timestampMillis    wall-clock time the round ended
 * @param roundSeconds       how long the round took
 * @param namespaces         sorted by netns
 * @param collectors         sorted by name
 * @param netnsErrors        cumulative namespace errors by reason (since start)
 * @param listenersDropped   listener series this round left out because of --max-listeners
 * @param owners             listener owners by cgroup id ({@link ListenerSample#cgroupId()}); an id missing here
 *                           has an unknown owner
 */
public record Snapshot(
        long timestampMillis,
        double roundSeconds,
        List<NamespaceSample> namespaces,
        List<CollectorResult> collectors,
        Map<String, Long> netnsErrors,
        long listenersDropped,
        Map<Long, ListenerOwner> owners) {
    public Snapshot {
        namespaces = List.copyOf(namespaces);
        collectors = List.copyOf(collectors);
        netnsErrors = Map.copyOf(netnsErrors);
        owners = Map.copyOf(owners);
        Objects.requireNonNull(namespaces);
    }

    /** A snapshot without owners. */
    public Snapshot(
            long timestampMillis,
            double roundSeconds,
            List<NamespaceSample> namespaces,
            List<CollectorResult> collectors,
            Map<String, Long> netnsErrors,
            long listenersDropped) {
        this(timestampMillis, roundSeconds, namespaces, collectors, netnsErrors, listenersDropped, Map.of());
    }

    /** The owner of a listener, {@link ListenerOwner#UNKNOWN} when the kernel gave no cgroup or it is gone. */
    public ListenerOwner owner(ListenerSample l) {
        OptionalLong id = l.cgroupId();
        return id.isEmpty() ? ListenerOwner.UNKNOWN : owners.getOrDefault(id.getAsLong(), ListenerOwner.UNKNOWN);
    }

    public int listenerCount() {
        int n = 0;
        for (NamespaceSample ns : namespaces) {
            n += ns.listeners().size();
        }
        return n;
    }
}
