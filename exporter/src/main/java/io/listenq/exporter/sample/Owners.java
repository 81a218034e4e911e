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
final class Owners {
    static final String COLLECTOR = "listener_owners";
    private static final Logger LOG = LoggerFactory.getLogger(Owners.class);

    private final CgroupPaths paths;
    private Map<Long, ListenerOwner> last = Map.of();
    /** Last round's namespaces, and whether every cgroup id among them resolved. */
    private List<NamespaceSample> lastNamespaces = List.of();
    private boolean lastComplete;

    Owners(CgroupPaths paths) {
        this.paths = paths;
    }

    /** Finds the cgroup2 mount in {@code <procfs>/self/mountinfo}; none (or unreadable): owners stay unknown. */
    static Owners create(Path procfs) {
        Optional<Path> mount;
        try {
            mount = Cgroup2Mount.find(procfs);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read {}/self/mountinfo ({}): listener owners (listenq_listener_info cgroup, unit, "
                    + "container_id, pod_uid) stay empty", procfs, e.toString());
            return new Owners(null);
        }
        if (mount.isEmpty()) {
            LOG.warn("no cgroup2 file system in {}/self/mountinfo: listener owners (listenq_listener_info cgroup, "
                    + "unit, container_id, pod_uid) stay empty", procfs);
            return new Owners(null);
        }
        LOG.debug("cgroup2 mount: {}", mount.get());
        return new Owners(new CgroupPaths(mount.get()));
    }

    /** Owners of every known cgroup id among the namespaces' listeners; ids that resolve to nothing are left out. */
    Map<Long, ListenerOwner> resolve(List<NamespaceSample> namespaces, RoundStats stats, ProblemLog problems) {
        stats.declare(COLLECTOR);
        if (lastComplete && sameObjects(namespaces, lastNamespaces)) {
            // The sampler hands back an unchanged namespace as the same object (Sampler.limitAndTrack): the same
            // listeners, so the same ids, all resolved last time. An idle round costs nothing here.
            stats.reused(COLLECTOR, true);
            return last;
        }
        Set<Long> ids = new HashSet<>();
        for (NamespaceSample ns : namespaces) {
            for (ListenerSample l : ns.listeners()) {
                if (l.cgroupId() != 0) {
                    ids.add(l.cgroupId());
                }
            }
        }
        long t = System.nanoTime();
        if (paths == null) {
            stats.record(COLLECTOR, System.nanoTime() - t, false);
            return Map.of();
        }
        Map<Long, String> resolved;
        try {
            resolved = paths.resolve(ids);
        } catch (IOException | RuntimeException e) {
            stats.record(COLLECTOR, System.nanoTime() - t, false);
            problems.report(COLLECTOR, e, "cgroup2 mount " + paths.root());
            last = Map.of();
            lastComplete = false;
            return last;
        }
        stats.record(COLLECTOR, System.nanoTime() - t, true);
        Map<Long, ListenerOwner> out = new HashMap<>(resolved.size() * 2);
        boolean complete = true;
        for (Map.Entry<Long, String> e : resolved.entrySet()) {
            if (e.getValue().isEmpty()) {
                complete = false; // retried (walks permitting) until the listener goes
                continue; // the cgroup is gone: an empty owner, not an error
            }
            ListenerOwner before = last.get(e.getKey());
            out.put(e.getKey(), before != null && before.cgroup().equals(e.getValue())
                    ? before : ListenerOwner.ofPath(e.getValue()));
        }
        last = out.equals(last) ? last : Map.copyOf(out);
        lastNamespaces = namespaces;
        lastComplete = complete;
        return last;
    }

    private static boolean sameObjects(List<NamespaceSample> a, List<NamespaceSample> b) {
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
