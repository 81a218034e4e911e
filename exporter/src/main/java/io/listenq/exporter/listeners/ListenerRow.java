package io.listenq.exporter.listeners;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import java.util.Comparator;
import java.util.Objects;

/**
 * One listener as the JSON API, the landing page and the {@code listeners} command show it: the sampled queue
 * joined with its namespace's identity and its owner.
 *
 * @param namespace the namespace's name, container and pod ({@link NetnsIdentity#UNKNOWN} parts empty)
 * @param sample    what the last round saw ({@code drops}, {@code dropRate}, {@code synQueue} empty where unknown)
 * @param owner     {@link ListenerOwner#UNKNOWN} for unix listeners and for cgroups that are gone
 */
public record ListenerRow(NetnsIdentity namespace, ListenerSample sample, ListenerOwner owner) {
    /**
     * "Sorted by trouble": full now, then dropping now (drops per second over the last minute), then fullest
     * (length over backlog), then most drops ever, then by namespace, family, address and port (stable output).
     */
    public static final Comparator<ListenerRow> TROUBLE = Comparator.comparing(
                    (ListenerRow r) -> !r.sample().full())
            .thenComparing(r -> -r.sample().dropRate().orElse(0)) // unknown (unix) sorts as 0
            .thenComparing(r -> -r.sample().fillRatio())
            .thenComparing(r -> -r.sample().drops().orElse(0))
            .thenComparing(r -> r.sample().key());

    public ListenerRow {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(owner, "owner");
    }

    static ListenerRow of(Snapshot s, NetnsIdentity namespace, ListenerSample l) {
        return new ListenerRow(namespace, l, s.owner(l));
    }

    /** In trouble: full now, or dropped within the last minute. */
    public boolean inTrouble() {
        return sample.full() || sample.dropRate().orElse(0) > 0;
    }

    /** The namespace as a person knows it: its ip-netns name, else its inode. */
    public String namespaceName() {
        return namespace.name().isEmpty() ? sample.key().netns() : namespace.name();
    }
}
