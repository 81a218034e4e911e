package io.listenq.collectors.netns;

import io.listenq.collectors.linux.NetnsId;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one {@link NetnsDiscovery#scan()}.
 *
 * @param namespaces distinct namespaces, the initial one first, then by inode
 * @param self the scanning process's own namespace, if {@code <proc>/self/ns/net} could be read
 * @param processesScanned numeric entries listed under the procfs root
 * @param errors entries skipped, by reason (reasons with zero are absent)
 * @param examples the first path skipped for each reason in {@code errors}, for a log line
 */
public record NetnsScan(
        List<DiscoveredNetns> namespaces,
        Optional<NetnsId> self,
        int processesScanned,
        Map<ScanError, Integer> errors,
        Map<ScanError, Path> examples) {

    public NetnsScan {
        namespaces = List.copyOf(namespaces);
        Objects.requireNonNull(self, "self");
        errors = errors.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(errors));
        examples = Map.copyOf(examples);
    }

    public NetnsScan(
            List<DiscoveredNetns> namespaces,
            Optional<NetnsId> self,
            int processesScanned,
            Map<ScanError, Integer> errors) {
        this(namespaces, self, processesScanned, errors, Map.of());
    }

    /** The first path skipped for {@code reason}. */
    public Optional<Path> example(ScanError reason) {
        return Optional.ofNullable(examples.get(reason));
    }

    public int errorCount(ScanError reason) {
        return errors.getOrDefault(reason, 0);
    }

    public Optional<DiscoveredNetns> find(NetnsId id) {
        return namespaces.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public Optional<DiscoveredNetns> init() {
        return namespaces.stream().filter(DiscoveredNetns::init).findFirst();
    }
}
