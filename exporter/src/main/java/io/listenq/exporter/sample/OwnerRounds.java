package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.CgroupPaths;
import io.listenq.collectors.cgroup.ListenerOwner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owners step of sampling rounds on the calling thread: {@link Owners} as {@link Sampler} runs it after the
 * namespaces are read (its {@link Execution} bookkeeping included). What a benchmark measures as the cost of
 * resolving a round's listener owners.
 */
public final class OwnerRounds {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerRounds.class);

    private final Owners owners;
    private final ProblemLog problems = new ProblemLog(LOG);
    private final RoundStats stats = new RoundStats();
    private final Execution run = new Execution(stats, problems);

    /** @param cgroupRoot the cgroup2 mount, or a directory tree standing in for one (its inodes are the ids) */
    public OwnerRounds(Path cgroupRoot) {
        this.owners = new Owners(new CgroupPaths(cgroupRoot));
    }

    /** One round's owners of the listeners' cgroup ids. */
    public Map<Long, ListenerOwner> round(List<NamespaceSample> namespaces) {
        stats.reset();
        Map<Long, ListenerOwner> owned = owners.resolve(namespaces, run);
        problems.endRound(run.stats().ran());
        return owned;
    }
}
