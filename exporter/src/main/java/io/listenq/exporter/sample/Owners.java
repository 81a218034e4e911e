package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.Cgroup2Mount;
import io.listenq.collectors.cgroup.CgroupPaths;
import io.listenq.collectors.cgroup.ListenerOwner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the TCP listeners' cgroup ids into owners once per round (collector {@code listener_owners}), at the cost
 * of what changed since the last round ({@link CgroupRefs}): only ids that are new, or that did not resolve before,
 * are resolved. Without a cgroup2 mount every owner is unknown: one log line at start, and the collector reports
 * failure; everything else is sampled and served as usual. Sampler thread only.
 */
final class Owners extends KernelSource<Map<Long, ListenerOwner>> {
    private static final Logger LOG = LoggerFactory.getLogger(Owners.class);

    /** Paths of cgroup ids ("" where not found): {@link CgroupPaths#resolve}, a fake in tests. */
    @FunctionalInterface
    interface Resolver {
        Map<Long, String> resolve(Set<Long> ids) throws IOException;
    }

    /** Null without a cgroup2 mount. */
    private final Resolver resolver;

    private final String where;
    private final CgroupRefs refs = new CgroupRefs();

    Owners(Resolver resolver, String where) {
        super(CollectorName.LISTENER_OWNERS);
        this.resolver = resolver;
        this.where = where;
        if (resolver == null) {
            keep(Map.of(), false); // failed from the start, said once at start: reused as such every round
        }
    }

    Owners(CgroupPaths paths) {
        this(paths::resolve, "cgroup2 mount " + paths.root());
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
            return new Owners(null, "");
        }
        if (mount.isEmpty()) {
            LOG.warn(
                    "no cgroup2 file system in {}/self/mountinfo: listener owners (listenq_listener_info cgroup, "
                            + "unit, container_id, pod_uid) stay empty",
                    procfs);
            return new Owners(null, "");
        }
        LOG.debug("cgroup2 mount: {}", mount.get());
        return new Owners(new CgroupPaths(mount.get()));
    }

    /** Owners of every known cgroup id among the namespaces' listeners; ids that resolve to nothing are left out. */
    Map<Long, ListenerOwner> resolve(List<NamespaceSample> namespaces, Execution run) {
        if (resolver == null) {
            return run.reuse(this).orElse(Map.of());
        }
        if (!refs.update(namespaces) && !refs.hasPending() && !refs.ownersChanged() && last().isPresent()) {
            // The same ids, all resolved, and the owners map made of them: an idle round costs nothing here. The
            // first round runs whatever it finds: the collector's outcome starts with it.
            return run.reuse(this).orElse(Map.of());
        }
        return run.execute(this, where, this::read).orElse(Map.of());
    }

    /** Listeners whose cgroup ids the last {@link #resolve} read (tests: an unchanged namespace costs none). */
    int listenersRead() {
        return refs.listenersRead();
    }

    /** The owners after resolving what is pending; the last map itself when nothing changed (later stages ==). */
    private Map<Long, ListenerOwner> read() throws IOException {
        Map<Long, ListenerOwner> last = last().orElse(Map.of());
        if (refs.hasPending()) {
            refs.resolved(resolver.resolve(refs.pending()), last);
        }
        return refs.owners(last);
    }
}
