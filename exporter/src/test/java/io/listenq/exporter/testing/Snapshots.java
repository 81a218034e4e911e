package io.listenq.exporter.testing;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Snapshot} by name instead of seven positional arguments. Defaults: timestamp 0, a round of 0 s,
 * no collector results, no namespace errors, no listener left out, no owners.
 */
public final class Snapshots {
    private final List<NamespaceSample> namespaces;
    private long timestampMillis;
    private double roundSeconds;
    private List<CollectorResult> collectors = List.of();
    private Map<String, Long> netnsErrors = Map.of();
    private long listenersDropped;
    private final Map<Long, ListenerOwner> owners = new HashMap<>();

    private Snapshots(List<NamespaceSample> namespaces) {
        this.namespaces = namespaces;
    }

    public static Snapshots snapshot(NamespaceSample... namespaces) {
        return new Snapshots(List.of(namespaces));
    }

    public static Snapshots snapshot(List<NamespaceSample> namespaces) {
        return new Snapshots(namespaces);
    }

    public Snapshots timestampMillis(long millis) {
        this.timestampMillis = millis;
        return this;
    }

    public Snapshots roundSeconds(double seconds) {
        this.roundSeconds = seconds;
        return this;
    }

    public Snapshots collectors(CollectorResult... results) {
        this.collectors = List.of(results);
        return this;
    }

    public Snapshots collectors(List<CollectorResult> results) {
        this.collectors = results;
        return this;
    }

    public Snapshots netnsErrors(Map<String, Long> errors) {
        this.netnsErrors = errors;
        return this;
    }

    public Snapshots listenersDropped(long dropped) {
        this.listenersDropped = dropped;
        return this;
    }

    /** The owner of the listeners whose cgroup id is {@code cgroupId}. */
    public Snapshots owner(long cgroupId, ListenerOwner owner) {
        owners.put(cgroupId, owner);
        return this;
    }

    public Snapshot build() {
        return new Snapshot(
                timestampMillis, roundSeconds, namespaces, collectors, netnsErrors, listenersDropped, owners);
    }
}
