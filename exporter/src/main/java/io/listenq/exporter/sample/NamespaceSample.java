package io.listenq.exporter.sample;

import io.listenq.collectors.procfs.Sysctl;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One namespace as one round saw it. A counter or sysctl the kernel did not give is absent from its map (and
 * its collector reported failure), never a zero.
 *
 * @param netns     namespace inode, decimal
 * @param counters  unsigned 64-bit kernel counters
 * @param listeners sorted by key
 */
public record NamespaceSample(
        String netns,
        NetnsIdentity identity,
        Map<NetnsCounter, Long> counters,
        Map<Sysctl, Long> sysctls,
        List<ListenerSample> listeners) {
    public NamespaceSample {
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(identity, "identity");
        counters = Map.copyOf(counters);
        sysctls = Map.copyOf(sysctls);
        listeners = List.copyOf(listeners);
    }
}
