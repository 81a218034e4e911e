package io.listenq.exporter.sample;

import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.netlink.SockDiag;
import io.listenq.collectors.netns.Capabilities;
import io.listenq.collectors.netns.ContainerIdentity;
import io.listenq.collectors.netns.DiscoveredNetns;
import io.listenq.collectors.netns.NetnsDiscovery;
import io.listenq.collectors.netns.NetnsFilter;
import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netns.NetnsScan;
import io.listenq.collectors.netns.NetnsSwitch;
import io.listenq.collectors.netns.ScanError;
import io.listenq.collectors.procfs.ProcFile;
import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.NetnsMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces a round samples, and the way into each. In {@code self} mode only the exporter's own namespace,
 * with no switch and no privilege. In {@code all} mode every namespace that discovery finds (refreshed every
 * --netns.refresh-interval), entered with {@code setns} from the sampler thread; each one's namespace fd and
 * sock_diag socket are cached and closed as soon as it leaves the enumeration. Sampler thread only.
 */
final class Targets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Targets.class);
    static final String DISCOVERY = "netns_discovery";

    private final Config config;
    private final boolean all;
    private final String description;
    private final NetnsDiscovery discovery;
    private final NetnsFilter filter;
    private final Map<String, Long> errors = new TreeMap<>();
    private static final Comparator<NetnsId> BY_INODE = (a, b) ->
            a.inode() != b.inode() ? Long.compareUnsigned(a.inode(), b.inode()) : Long.compare(a.dev(), b.dev());
    private final Map<NetnsId, Target> targets = new TreeMap<>(BY_INODE);
    private NetnsSwitch netnsSwitch;
    private long nextRefreshNanos = Long.MIN_VALUE;

    /** One sampled namespace: how to enter it (null for the exporter's own) and its reader. */
    private record Target(NetnsSwitch.Handle handle, NetnsIdentity identity, NamespaceReader reader, int phase) {
    }

    /** Full TCP dumps and sysctl reads come every this many refresh intervals. */
    static final int FULL_EVERY_REFRESHES = 6;
    /** One set of netlink buffers for every namespace's socket: they are used one at a time, on this thread. */
    private final SockDiag.Buffers buffers = new SockDiag.Buffers();
    private long round;

    private Targets(Config config, boolean all, String description) {
        this.config = config;
        this.all = all;
        this.description = description;
        this.discovery = new NetnsDiscovery(config.procfsRoot(), List.of(config.netnsRoot(), config.dockerNetnsRoot()));
        this.filter = new NetnsFilter(config.netnsInclude().orElse(null), config.netnsExclude().orElse(null));
    }

    static Targets create(Config config) {
        NetnsMode mode = config.netnsMode();
        if (mode == NetnsMode.AUTO) {
            List<String> missing;
            try {
                missing = Capabilities.readSelf(config.procfsRoot()).missingForOtherNamespaces();
            } catch (IOException e) {
                missing = List.of("unknown (" + e.getMessage() + ")");
            }
            if (missing.isEmpty()) {
                return new Targets(config, true, "auto: all namespaces");
            }
            LOG.warn("--netns=auto: sampling only the exporter's own network namespace: {} not effective "
                    + "(setns needs CAP_SYS_ADMIN, opening other processes' /proc/<pid>/ns/net needs CAP_SYS_PTRACE)",
                    String.join(" and ", missing));
            return new Targets(config, false, "auto: own namespace only (missing " + String.join(", ", missing) + ")");
        }
        return new Targets(config, mode == NetnsMode.ALL, mode == NetnsMode.ALL ? "all namespaces" : "self");
    }

    String description() {
        return description;
    }

    Map<String, Long> errors() {
        return errors;
    }

    /** Samples every target; stops early (returning what it has) as soon as {@code keepGoing} says so. */
    List<NamespaceSample> sampleAll(RoundStats stats, ProblemLog problems, BooleanSupplier keepGoing) {
        stats.declare(DISCOVERY);
        long now = System.nanoTime();
        boolean refresh = targets.isEmpty() || now - nextRefreshNanos >= 0;
        round++;
        if (refresh) {
            nextRefreshNanos = now + config.netnsRefreshInterval().toNanos();
            refresh(stats, problems);
        }
        List<NamespaceSample> out = new ArrayList<>(targets.size());
        for (Target t : targets.values()) {
            if (!keepGoing.getAsBoolean()) {
                break; // shutting down: a round over many namespaces must not hold up the exit
            }
            if (t.handle() == null) {
                out.add(t.reader().sample(t.identity(), stats, problems, turn(t)));
                continue;
            }
            try {
                netnsSwitch.enter(t.handle());
                stats.markRan("setns");
            } catch (NativeException e) {
                count("setns_" + reason(e));
                problems.report("setns", e, "netns " + t.handle().id().inodeText());
                goHome();
                continue;
            }
            try {
                out.add(t.reader().sample(t.identity(), stats, problems, turn(t)));
            } finally {
                goHome();
            }
        }
        return out;
    }

    /** The sampler thread is stuck in a foreign namespace: it must not sample anything any more. */
    static final class StrandedException extends RuntimeException {
        StrandedException(Throwable cause) {
            super("cannot return the sampler thread to its own network namespace", cause);
        }
    }

    /** Returning home must succeed, or this thread would sample the wrong namespace from now on. */
    private void goHome() {
        try {
            netnsSwitch.returnHome();
        } catch (NativeException e) {
            throw new StrandedException(e);
        }
    }

    private void refresh(RoundStats stats, ProblemLog problems) {
        long t = System.nanoTime();
        if (!all) {
            if (targets.isEmpty()) {
                try {
                    addSelf();
                    stats.record(DISCOVERY, System.nanoTime() - t, true);
                } catch (IOException e) {
                    stats.record(DISCOVERY, System.nanoTime() - t, false);
                    problems.report(DISCOVERY, e, "own namespace");
                }
            }
            return;
        }
        NetnsScan scan;
        try {
            if (netnsSwitch == null) {
                netnsSwitch = new NetnsSwitch(config.procfsRoot());
            }
            scan = discovery.scan();
        } catch (IOException e) {
            stats.record(DISCOVERY, System.nanoTime() - t, false);
            problems.report(DISCOVERY, e, config.procfsRoot().toString());
            return;
        }
        for (Map.Entry<ScanError, Integer> e : scan.errors().entrySet()) {
            if (e.getKey() != ScanError.VANISHED) { // processes exiting during a scan are normal churn
                count("scan_" + e.getKey().label());
            }
        }
        Map<NetnsId, DiscoveredNetns> found = new TreeMap<>(BY_INODE);
        for (DiscoveredNetns d : scan.namespaces()) {
            if (filter.test(d)) {
                found.put(d.id(), d);
            }
        }
        targets.entrySet().removeIf(e -> {
            if (found.containsKey(e.getKey())) {
                return false;
            }
            close(e.getValue());
            return true;
        });
        for (DiscoveredNetns d : found.values()) {
            if (targets.containsKey(d.id())) {
                continue;
            }
            NetnsSwitch.Handle handle = null;
            if (!d.self()) {
                try {
                    handle = netnsSwitch.open(d.openPath(), d.id());
                    stats.markRan("netns_open");
                } catch (NativeException e) {
                    count(reason(e));
                    problems.report("netns_open", e, d.openPath().toString());
                    continue;
                } catch (IOException e) {
                    count("vanished");
                    continue;
                }
            }
            targets.put(d.id(), new Target(handle, identity(d), reader(d.id().inodeText()), phase(d.id())));
        }
        stats.record(DISCOVERY, System.nanoTime() - t, true);
    }

    private void addSelf() throws IOException {
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
        // in self mode the exporter cannot tell whether this is the host's namespace (that needs ptrace access
        // to pid 1), nor see other processes inside: it names itself
        targets.put(id, new Target(null,
                new NetnsIdentity("", pid, comm, container.containerId(), container.podUid()),
                reader(id.inodeText()), phase(id)));
    }

    /**
     * Spreads the periodic full reads over rounds instead of doing every namespace's at once: each namespace has
     * its own phase, so a round does about 1/(6R) of them (R = rounds per refresh interval), and no round is a
     * naive one.
     */
    private NamespaceReader.Turn turn(Target t) {
        long rounds = FULL_EVERY_REFRESHES
                * Math.max(1, config.netnsRefreshInterval().toNanos() / config.sampleInterval().toNanos());
        return (round + t.phase()) % rounds == 0 ? NamespaceReader.Turn.FULL : NamespaceReader.Turn.NORMAL;
    }

    private int phase(NetnsId id) {
        return (int) Math.floorMod(id.inode() * 0x9E3779B97F4A7C15L >>> 16, 1 << 20);
    }

    private NamespaceReader reader(String netns) {
        return new NamespaceReader(netns, config.procfsRoot(), config.synQueueInterval().toNanos(), config.skipIdle(),
                () -> ListenerDumps.open(buffers));
    }

    private static NetnsIdentity identity(DiscoveredNetns d) {
        return new NetnsIdentity(d.name(), d.lowestPid().isPresent() ? Integer.toString(d.lowestPid().getAsInt()) : "",
                d.comm(), d.identity().containerId(), d.identity().podUid());
    }

    private static String reason(NativeException e) {
        return switch (e.errno()) {
            case 1, 13 -> "permission"; // EPERM, EACCES
            case 2, 3 -> "vanished"; // ENOENT, ESRCH
            default -> "errno_" + e.errno();
        };
    }

    private void count(String reason) {
        errors.merge(reason, 1L, Long::sum);
    }

    private static void close(Target t) {
        t.reader().close();
        if (t.handle() != null) {
            t.handle().close();
        }
    }

    int size() {
        return targets.size();
    }

    @Override
    public void close() {
        targets.values().forEach(Targets::close);
        targets.clear();
        if (netnsSwitch != null) {
            netnsSwitch.close();
        }
        buffers.close();
    }
}
