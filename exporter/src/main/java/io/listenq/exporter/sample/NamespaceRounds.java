package io.listenq.exporter.sample;

import io.listenq.exporter.cli.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace half of sampling rounds, on the calling platform thread: every target namespace read as
 * {@link Sampler} reads it (discovery, setns, the skip policy, the kernel sources), without the snapshot, peak
 * tracking, listener cap or owners that follow. What a benchmark measures as the cost of a namespace-round; the
 * thread that calls {@link #round()} first must make every later call (it owns the setns switch).
 */
public final class NamespaceRounds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceRounds.class);

    private final Targets targets;
    private final ProblemLog problems = new ProblemLog(LOG);
    private final RoundStats stats = new RoundStats();
    private final Execution run = new Execution(stats, problems);

    public NamespaceRounds(Config config) {
        this.targets = Targets.create(config);
    }

    /** One round over every target namespace; returns how many were sampled. */
    public int round() {
        stats.reset();
        int sampled = targets.sampleAll(run, () -> true).size();
        problems.endRound(run.stats().ran());
        return sampled;
    }

    @Override
    public void close() {
        targets.close();
    }
}
