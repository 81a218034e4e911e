package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.Cgroup2Mount;
import io.listenq.collectors.cgroup.CgroupPaths;
import io.listenq.collectors.cgroup.ListenerOwner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the TCP listeners' cgroup ids into owners once per round (collector {@code listener_owners}). Without a
 * cgroup2 mount every owner is unknown: one log line at start, and the collector reports failure; everything else
 * is sampled and served as usual. Sampler thread only.
 */
final class Owners extends KernelSource<Map<Long, ListenerOwner>> {
    private static final Logger LOG = LoggerFactory.getLogger(Owners.class);

    private final CgroupPaths paths;
    /** Last round's namespaces, and whether every cgroup id among them resolved. */
    private List<NamespaceSample> lastNamespaces = List.of();

    private boolean lastComplete;

    Owners(CgroupPaths paths) {
        super(CollectorName.LISTENER_OWNERS);
        this.paths = paths;
        if (paths == null) {
            keep(Map.of(), false); // failed from the start, said once at start: reused as such every round
        }
    }

    /** Finds the cgroup2 mount in {@code <procfs>/self/mountinfo}; none (or unreadable): owners stay unknown. */
    static Owners create(Path procfs) {
        Optional<Path> mount;
        try {
            mount = Cgroup2Mount.find(procfs);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "cannot read {}/self/mountinfo ({}): listener owners (listenq_listener_info cgroup, unit, "
                            + "container_id, pod_uid) stay empty",
                    procfs,
                    e.toString());
            return new Owners(null);
        }
        if (mount.isEmpty()) {
            LOG.warn(
                    "no cgroup2 file system in {}/self/mountinfo: listener owners (listenq_listener_info cgroup, "
                            + "unit, container_id, pod_uid) stay empty",
                    procfs);
            return new Owners(null);
        }
        LOG.debug("cgroup2 mount: {}", mount.get());
        return new Owners(new CgroupPaths(mount.get()));
    }

    /** Owners of every known cgroup id among the namespaces' listeners; ids that resolve to nothing are left out. */
    Map<Long, ListenerOwner> resolve(List<NamespaceSample> namespaces, Execution run) {
        if (paths == null || (lastComplete && sameObjects(namespaces, lastNamespaces))) {
            // The sampler hands back an unchanged namespace as the same object (Sampler.limitAndTrack): the same
            // listeners, so the same ids, all resolved last time. An idle round costs nothing here.
            return run.reuse(this).orElse(Map.of());
        }
        Set<Long> ids = new HashSet<>();
        for (NamespaceSample ns : namespaces) {
            for (ListenerSample l : ns.listeners()) {
                l.cgroupId().ifPresent(ids::add);
            }
        }
        lastComplete = false;
        lastNamespaces = namespaces;
        return run.execute(this, "cgroup2 mount " + paths.root(), () -> read(ids))
                .orElse(Map.of());
    }

    /** The owners of {@code ids}; the last map itself when nothing changed (later stages compare by ==). */
    private Map<Long, ListenerOwner> read(Set<Long> ids) throws IOException {
        Map<Long, String> resolved = paths.resolve(ids);
        Map<Long, ListenerOwner> last = last().orElse(Map.of());
        Map<Long, ListenerOwner> out = new HashMap<>(resolved.size() * 2);
        boolean complete = true;
        for (Map.Entry<Long, String> e : resolved.entrySet()) {
            if (e.getValue().isEmpty()) {
                complete = false; // retried (walks permitting) until the listener goes
                continue; // the cgroup is gone: an empty owner, not an error
            }
            ListenerOwner before = last.get(e.getKey());
            out.put(
                    e.getKey(),
                    before != null && before.cgroup().equals(e.getValue())
                            ? before
                            : ListenerOwner.ofPath(e.getValue()));
        }
        lastComplete = complete;
        return out.equals(last) ? last : Map.copyOf(out);
    }

    private static boolean sameObjects(List<NamespaceSample> a, List<NamespaceSample> b) {
        if (a == b) {
            return true; // an idle round: the sampler hands on last round's list itself
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
