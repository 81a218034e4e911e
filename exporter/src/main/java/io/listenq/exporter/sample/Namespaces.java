package io.listenq.exporter.sample;

import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netlink.SockDiag;
import io.listenq.collectors.netns.ContainerIdentity;
import io.listenq.collectors.netns.DiscoveredNetns;
import io.listenq.collectors.netns.NetnsDiscovery;
import io.listenq.collectors.netns.NetnsFilter;
import io.listenq.collectors.netns.NetnsScan;
import io.listenq.collectors.netns.NetnsSwitch;
import io.listenq.collectors.netns.NotNetnsException;
import io.listenq.collectors.netns.ScanError;
import io.listenq.collectors.procfs.ProcFile;
import io.listenq.exporter.cli.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of sampled namespaces and each one's lifecycle: found by discovery (all mode) or the own one (self
 * mode), opened (the namespace fd, checked against the identity discovery saw), given a reader, and closed with
 * all its fds as soon as it leaves the enumeration, so that a deleted namespace is really freed. When to sample
 * which is {@link Targets}' business. Sampler thread only.
 */
final class Namespaces implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Namespaces.class);
    private static final Comparator<NetnsId> BY_INODE = (a, b) ->
            a.inode() != b.inode() ? Long.compareUnsigned(a.inode(), b.inode()) : Long.compare(a.dev(), b.dev());

    /** One sampled namespace: how to enter it (null for the exporter's own), who it is, its reader and phase. */
    record Target(NetnsSwitch.Handle handle, NetnsIdentity identity, NamespaceReader reader, long phase) {
        String where() {
            return "netns " + reader.netns();
        }
    }

    private final Config config;
    private final boolean all;
    private final SkipPolicy policy;
    private final NetnsDiscovery discovery;
    private final NetnsFilter filter;
    private final NetnsErrors errors = new NetnsErrors(LOG);
    private final Map<NetnsId, Target> targets = new TreeMap<>(BY_INODE);
    /** {@link #targets}' values, copied after each change (only {@link #refresh} and {@link #close} make any). */
    private List<Target> order = List.of();
    /** One set of netlink buffers for every namespace's socket: they are used one at a time, on this thread. */
    private final SockDiag.Buffers buffers = new SockDiag.Buffers();

    private final DiscoveryOutcome outcome = new DiscoveryOutcome();
    private NetnsSwitch netnsSwitch;
    /**
     * Namespace files found that are not network namespaces (a uts bind mount in /run/netns): counted and logged
     * once, not reopened every refresh, no fd kept; forgotten when they leave the scan.
     */
    private final Set<NetnsId> notNetns = new HashSet<>();
    /** Namespaces the last refresh wanted to sample (found and not filtered out; 1 in self mode). */
    private int candidates;

    /** Discovery as a {@link KernelSource}, so that its outcome is recorded and reused like the others'. */
    private static final class DiscoveryOutcome extends KernelSource<Integer> {
        DiscoveryOutcome() {
            super(CollectorName.NETNS_DISCOVERY);
        }
    }

    Namespaces(Config config, boolean all) {
        this.config = config;
        this.all = all;
        this.policy =
                new SkipPolicy(config.skipIdle(), config.synQueueInterval().toNanos());
        this.discovery = new NetnsDiscovery(config.procfsRoot(), List.of(config.netnsRoot(), config.dockerNetnsRoot()));
        this.filter = new NetnsFilter(
                config.netnsInclude().orElse(null), config.netnsExclude().orElse(null));
    }

    /** The targets in inode order, as of the last refresh: a list, so that a round walks it without an iterator. */
    List<Target> targets() {
        return order;
    }

    int size() {
        return targets.size();
    }

    int candidates() {
        return candidates;
    }

    NetnsErrors errors() {
        return errors;
    }

    /** The switch into other namespaces; null in self mode. */
    NetnsSwitch netnsSwitch() {
        return netnsSwitch;
    }

    /** Refreshes the set now: a new scan in all mode, the own namespace once in self mode. */
    void refresh(Execution run) {
        if (!all) {
            candidates = 1;
            if (targets.isEmpty()) {
                run.execute(outcome, "own namespace", this::addSelf);
                order = List.copyOf(targets.values());
            } else {
                run.reuse(outcome);
            }
            return;
        }
        try {
            run.execute(outcome, config.procfsRoot().toString(), () -> rescan(run));
        } finally {
            order = List.copyOf(targets.values());
        }
    }

    /** A round that does not refresh: the last discovery outcome stands. */
    void keep(Execution run) {
        run.reuse(outcome);
    }

    private int rescan(Execution run) throws IOException {
        if (netnsSwitch == null) {
            netnsSwitch = new NetnsSwitch(config.procfsRoot());
        }
        NetnsScan scan = discovery.scan();
        for (Map.Entry<ScanError, Integer> e : scan.errors().entrySet()) {
            if (e.getKey() == ScanError.VANISHED) {
                continue; // processes exiting during a scan are normal churn
            }
            NetnsError reason = NetnsError.of(e.getKey());
            // most hosts have some refusals, so they are explained at debug: even as root, a process holding
            // capabilities the exporter lacks refuses ptrace access (cap_ptrace_access_check), and the scan
            // cannot stat its namespace link; its namespace is usually found through another process
            errors.count(
                    reason,
                    e.getValue(),
                    e.getValue() + " entries skipped by the scan (" + e.getKey().label() + "), e.g. "
                            + scan.example(e.getKey()).map(Path::toString).orElse("?"),
                    reason == NetnsError.PERMISSION);
        }
        Map<NetnsId, DiscoveredNetns> found = new TreeMap<>(BY_INODE);
        for (DiscoveredNetns d : scan.namespaces()) {
            if (filter.test(d)) {
                found.put(d.id(), d);
            }
        }
        notNetns.retainAll(found.keySet());
        candidates = found.size() - notNetns.size();
        targets.entrySet().removeIf(e -> {
            if (found.containsKey(e.getKey())) {
                return false;
            }
            close(e.getValue());
            return true;
        });
        for (DiscoveredNetns d : found.values()) {
            if (targets.containsKey(d.id()) || notNetns.contains(d.id())) {
                continue;
            }
            if (d.self()) {
                targets.put(d.id(), target(null, identity(d), d.id())); // sampled without a switch
            } else {
                open(d, run).ifPresent(h -> targets.put(d.id(), target(h, identity(d), d.id())));
            }
        }
        return targets.size();
    }

    /** Opens another namespace's file; empty (and counted) on failure. */
    private Optional<NetnsSwitch.Handle> open(DiscoveredNetns d, Execution run) {
        try {
            NetnsSwitch.Handle h = netnsSwitch.open(d.openPath(), d.id());
            run.ran("netns_open");
            return Optional.of(h);
        } catch (NativeException e) {
            errors.count(NetnsError.ofErrno(e.errno()), "opening " + d.openPath() + ": " + e.getMessage());
        } catch (NotNetnsException e) {
            // counted once: it is not reopened while it stays (setns would refuse it with EINVAL every round)
            notNetns.add(d.id());
            errors.count(NetnsError.NOT_A_NAMESPACE, e.getMessage() + "; skipped until it goes away");
        } catch (IOException e) {
            errors.count(NetnsError.PID_REUSED, e.getMessage());
        }
        return Optional.empty();
    }

    private int addSelf() throws IOException {
        Path procfs = config.procfsRoot();
        Path nsLink = procfs.resolve("thread-self/ns/net");
        NetnsId id = NetnsId.of(nsLink);
        String pid = Long.toString(ProcessHandle.current().pid());
        ContainerIdentity container = ContainerIdentity.UNKNOWN;
        String comm = "";
        try {
            comm = ProcFile.read(procfs.resolve("self/comm")).strip();
            container = ContainerIdentity.parseCgroup(ProcFile.read(procfs.resolve("self/cgroup")));
        } catch (IOException e) {
            LOG.debug("no identity for the own namespace: {}", e.toString());
        }
        // the same name as discovery gives it in all mode, when the exporter can tell (NetnsDiscovery.isInitial)
        String name = NetnsDiscovery.isInitial(procfs, id) ? DiscoveredNetns.HOST : "";
        targets.put(
                id, target(null, new NetnsIdentity(name, pid, comm, container.containerId(), container.podUid()), id));
        return 1;
    }

    private Target target(NetnsSwitch.Handle handle, NetnsIdentity identity, NetnsId id) {
        NamespaceReader reader =
                new NamespaceReader(id.inodeText(), config.procfsRoot(), policy, () -> ListenerDumps.open(buffers));
        return new Target(handle, identity, reader, phase(id));
    }

    /** A stable pseudo-random phase per namespace, so that periodic reads spread over rounds. */
    private static long phase(NetnsId id) {
        return Math.floorMod(id.inode() * 0x9E3779B97F4A7C15L >>> 16, 1 << 20);
    }

    private static NetnsIdentity identity(DiscoveredNetns d) {
        return new NetnsIdentity(
                d.name(),
                d.lowestPid().isPresent() ? Integer.toString(d.lowestPid().getAsInt()) : "",
                d.comm(),
                d.identity().containerId(),
                d.identity().podUid());
    }

    private static void close(Target t) {
        t.reader().close();
        if (t.handle() != null) {
            t.handle().close();
        }
    }

    @Override
    public void close() {
        targets.values().forEach(Namespaces::close);
        targets.clear();
        order = List.of();
        if (netnsSwitch != null) {
            netnsSwitch.close();
        }
        buffers.close();
    }
}
