package io.listenq.collectors.netns;

import io.listenq.collectors.linux.NetnsId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The entries one {@link NetnsDiscovery#scan()} skipped: a count per reason and the first path of each. */
final class SkippedEntries {
    private final Map<ScanError, Integer> counts = new EnumMap<>(ScanError.class);
    private final Map<ScanError, Path> examples = new EnumMap<>(ScanError.class);

    void add(ScanError reason, Path path) {
        counts.merge(reason, 1, Integer::sum);
        examples.putIfAbsent(reason, path);
    }

    /** {@code path} could not be read: counted under the reason its errno gives ({@link ScanError#of}). */
    void add(Path path, IOException e) {
        add(ScanError.of(path, e), path);
    }

    NetnsScan scan(List<DiscoveredNetns> namespaces, Optional<NetnsId> self, int processesScanned) {
        return new NetnsScan(namespaces, self, processesScanned, counts, examples);
    }
}
