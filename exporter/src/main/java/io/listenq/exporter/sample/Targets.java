package io.listenq.exporter.sample;

import io.listenq.collectors.linux.NativeException;
import io.listenq.exporter.cli.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The schedule of rounds: when the namespace set is refreshed, which turn ({@link SkipPolicy#turn}) each namespace
 * gets, and the setns round trip around each sample. The set itself and each namespace's fds are
 * {@link Namespaces}'; the mode was resolved once at startup ({@link SamplingMode}). Sampler thread only.
 */
final class Targets implements AutoCloseable {
    private final Config config;
    private final SamplingMode mode;
    private final Namespaces namespaces;
    private final long roundsPerRefresh;
    private long nextRefreshNanos;
    private long round;
    private final LazyEntry entry = new LazyEntry();
    /** What {@link #sampleAll} returns, refilled by each call: a round allocates no list of its own. */
    private final List<NamespaceSample> sampled = new ArrayList<>();

    Targets(Config config, SamplingMode mode) {
        this.config = config;
        this.mode = mode;
        this.namespaces = new Namespaces(config, mode.all());
        this.roundsPerRefresh = Math.max(
                1,
                config.netnsRefreshInterval().toNanos()
                        / config.sampleInterval().toNanos());
    }

    static Targets create(Config config) {
        return new Targets(config, SamplingMode.resolve(config));
    }

    String description() {
        return mode.description();
    }

    /** Cumulative namespace errors by reason label. */
    Map<String, Long> errors() {
        return namespaces.errors().counts();
    }

    int size() {
        return namespaces.size();
    }

    /** Namespaces there are to sample: found, not filtered out, network namespaces (before any failed to open). */
    int candidates() {
        return namespaces.candidates();
    }

    /**
     * Samples every target; stops early (returning what it has) as soon as {@code keepGoing} says so. The list is
     * this object's own, valid until the next call.
     */
    List<NamespaceSample> sampleAll(Execution run, BooleanSupplier keepGoing) {
        long now = System.nanoTime();
        if (round == 0 || namespaces.size() == 0 || now - nextRefreshNanos >= 0) {
            nextRefreshNanos = now + config.netnsRefreshInterval().toNanos();
            namespaces.refresh(run);
        } else {
            namespaces.keep(run);
        }
        round++;
        List<NamespaceSample> out = sampled;
        out.clear();
        List<Namespaces.Target> all = namespaces.targets();
        for (int i = 0; i < all.size(); i++) { // indexed: an iterator would be an allocation a round under C1
            Namespaces.Target t = all.get(i);
            if (!keepGoing.getAsBoolean()) {
                break; // shutting down: a round over many namespaces must not hold up the exit
            }
            SkipPolicy.Turn turn = SkipPolicy.turn(round, t.phase(), roundsPerRefresh);
            if (t.handle() == null) {
                out.add(t.reader().sample(t.identity(), run, turn, NetnsEntry.INSIDE));
                continue;
            }
            entry.start(t, run);
            try {
                if (t.reader().needsEntry(turn)) {
                    try {
                        entry.enter(); // now, so that a refusal skips the namespace, as it cannot be sampled
                    } catch (NativeException e) {
                        namespaces
                                .errors()
                                .count(
                                        NetnsError.ofErrno(e.errno()),
                                        "setns into " + t.where() + ": " + e.getMessage());
                        continue;
                    }
                }
                out.add(t.reader().sample(t.identity(), run, turn, entry));
            } finally {
                if (entry.inside) {
                    goHome();
                }
            }
        }
        return out;
    }

    /**
     * Enters the namespace being sampled when a source must open an fd there, at most once per namespace and
     * round; an idle namespace whose fds are all open is sampled from home. One object for every namespace: an
     * idle round allocates nothing.
     */
    private final class LazyEntry implements NetnsEntry {
        private Namespaces.Target target;
        private Execution run;
        private boolean inside;

        void start(Namespaces.Target t, Execution r) {
            target = t;
            run = r;
            inside = false;
        }

        @Override
        public void enter() throws NativeException {
            if (inside) {
                return;
            }
            try {
                namespaces.netnsSwitch().enter(target.handle());
            } catch (NativeException e) {
                goHome(); // setns refused leaves the thread home, but say so for sure
                throw e;
            }
            inside = true;
            run.ran("setns");
        }
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
            namespaces.netnsSwitch().returnHome();
        } catch (NativeException e) {
            throw new StrandedException(e);
        }
    }

    @Override
    public void close() {
        namespaces.close();
    }
}
