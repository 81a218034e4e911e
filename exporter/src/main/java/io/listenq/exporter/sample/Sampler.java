package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.cli.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples on a schedule, on one dedicated platform thread (the only thread that ever changes namespace), and
 * swaps in one immutable {@link Snapshot} per round. Scrapes read {@link #current()} and never wait for a round.
 * A round never throws: whatever fails is counted in the snapshot and logged once per cause.
 */
public final class Sampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

    private final Config config;
    /**
     * Resolved by whoever needs it first, normally the sampler thread as its first round begins: the mode probe
     * (discovery and a trial setns, on a thread of its own) then runs while the HTTP server starts, not before.
     */
    private final FutureTask<Targets> targets;

    private final PeakTracker peaks;
    private final Owners owners;
    private final ProblemLog problems = new ProblemLog(LOG);
    /** Reused round after round (reset at its start): an idle round's bookkeeping allocates nothing. */
    private final RoundStats stats = new RoundStats();

    private final Execution run = new Execution(stats, problems);
    private final BooleanSupplier keepRunning = () -> this.running;
    private volatile RoundObserver observer = RoundObserver.NONE;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Wakes the sleep between rounds; the thread is never interrupted (that would close its open procfs files). */
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private volatile boolean running = true;
    private volatile boolean stranded;
    private volatile boolean started;
    /** When the last round ended (System.nanoTime), or when the sampler started before the first. */
    private volatile long lastRoundNanos = System.nanoTime();

    private final long stuckAfterNanos;
    private volatile Snapshot current;
    /** The last round had namespaces to sample and sampled none (every one refused entry, or procfs unreadable). */
    private volatile boolean sampledNone;

    private final ListenerCap cap;
    /** The last snapshot's namespaces: a round whose every namespace is the same object hands this list on. */
    private List<NamespaceSample> lastNamespaces = List.of();

    private Sampler(Config config, Callable<Targets> targets) {
        this.config = config;
        this.targets = new FutureTask<>(targets);
        this.peaks = new PeakTracker(
                config.peakWindow().toMillis(), config.sampleInterval().toMillis());
        this.cap = new ListenerCap(config.maxListeners(), LOG);
        this.stuckAfterNanos = stuckAfter(config).toNanos();
        this.owners = Owners.create(config.procfsRoot());
        this.thread = Thread.ofPlatform().name("listenq-sampler").daemon(true).unstarted(this::loop);
    }

    public static Sampler create(Config config) {
        return new Sampler(config, () -> Targets.create(config));
    }

    /** Who is told about each completed round (the self-metrics); set before {@link #start()}. */
    public void observe(RoundObserver observer) {
        this.observer = observer;
    }

    public void start() {
        lastRoundNanos = System.nanoTime();
        started = true;
        thread.start();
    }

    /**
     * How long without a finished round counts as stuck: ten intervals, and at least a minute (a first round over
     * 1,000 namespaces takes seconds on a loaded host; a liveness probe that restarts a slow but working exporter
     * would make things worse).
     */
    static java.time.Duration stuckAfter(Config config) {
        java.time.Duration ten = config.sampleInterval().multipliedBy(10);
        return ten.compareTo(java.time.Duration.ofMinutes(1)) > 0 ? ten : java.time.Duration.ofMinutes(1);
    }

    /** The latest snapshot, or null before the first round. */
    public Snapshot current() {
        return current;
    }

    /**
     * True after the first round, except while the last round sampled no namespace although there were some to
     * sample (all refused entry, procfs unreadable). A filter that matches nothing yet is not a failure: ready.
     */
    public boolean ready() {
        return current != null && !sampledNone;
    }

    /** False once the sampler thread has died, is stranded in a foreign namespace, or has not finished a round for long. */
    public boolean healthy() {
        return unhealthyReason(System.nanoTime()) == null;
    }

    /** Null when healthy, else why not. Package-private for tests. */
    String unhealthyReason(long nowNanos) {
        if (stranded) {
            return "the sampler thread is stranded in a foreign network namespace";
        }
        if (!running) {
            return null; // shutting down
        }
        if (started && !thread.isAlive()) {
            return "the sampler thread has died";
        }
        long since = nowNanos - lastRoundNanos;
        if (since > stuckAfterNanos) {
            return "no sampling round finished for " + since / 1_000_000_000 + " s";
        }
        return null;
    }

    /** The namespace mode; resolves it first if no round has yet (waiting for the probe, tens of milliseconds). */
    public String modeDescription() {
        return targets().description();
    }

    /** The targets, resolved on the calling thread when nobody has yet (FutureTask.run does nothing after the first). */
    private Targets targets() {
        targets.run();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return targets.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot resolve the namespace mode", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        long interval = config.sampleInterval().toNanos();
        long next = System.nanoTime();
        try {
            while (running) {
                try {
                    round();
                } catch (Targets.StrandedException e) {
                    stranded = true;
                    LOG.error("{}: sampling stops, /-/healthy now fails; restart the exporter", e.getMessage(), e);
                    return;
                } catch (RuntimeException | Error e) {
                    // a bug, not a kernel problem: keep serving the last snapshot, say so once per cause
                    problems.report("round", e, "sampler");
                }
                next += interval;
                long now = System.nanoTime();
                if (next < now) {
                    next = now + interval - (now - next) % interval; // skip missed rounds, keep the phase
                }
                if (stopRequested.await(next - now, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeTargets();
            stopped.countDown();
        }
    }

    /** Closes the targets' fds, if they were ever resolved. */
    private void closeTargets() {
        if (targets.isDone()) {
            try {
                targets.get().close();
            } catch (ExecutionException e) {
                // never resolved: nothing was opened
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One round: every target namespace, then one snapshot. Package-private for tests. */
    void round() {
        Targets targets = targets();
        long start = System.nanoTime();
        stats.reset();
        List<NamespaceSample> namespaces = targets.sampleAll(run, keepRunning);
        if (!running) {
            return; // an interrupted round is incomplete: keep serving the last whole one
        }
        long nowMillis = System.currentTimeMillis();
        namespaces = limitAndTrack(namespaces, System.nanoTime() / 1_000_000);
        Map<Long, ListenerOwner> owned = owners.resolve(namespaces, run);
        stats.markRan("round");
        problems.endRound(stats.ran());
        sampledNone = namespaces.isEmpty() && targets.candidates() > 0;
        Snapshot s = new Snapshot(
                nowMillis,
                (System.nanoTime() - start) / 1e9,
                namespaces,
                stats.results(),
                targets.errors(),
                cap.dropped(),
                owned);
        current = s;
        lastNamespaces = s.namespaces();
        lastRoundNanos = System.nanoTime();
        observer.roundEnded(s, stats.ran());
    }

    /**
     * Applies --max-listeners (in {@link ListenerCap}'s priority) and the peak tracker. A namespace handed in as the
     * same object as last round, whose listeners were all settled then ({@link PeakTracker.Group#carried}), is
     * carried over as last round's output object without touching its listeners: an idle round costs a lookup per
     * namespace here, and what comes after (owners, the collector) sees the same objects.
     */
    private List<NamespaceSample> limitAndTrack(List<NamespaceSample> namespaces, long monotonicMillis) {
        List<List<ListenerSample>> kept =
                cap.select(namespaces, peaks::troubled, peaks::tracks, peaks::carriedLastRound);
        peaks.beginRound();
        RoundOutputs out = new RoundOutputs(lastNamespaces, namespaces.size());
        for (int n = 0; n < namespaces.size(); n++) {
            NamespaceSample ns = namespaces.get(n);
            List<ListenerSample> keep = kept.get(n);
            PeakTracker.Group group = peaks.group(ns.netns(), monotonicMillis);
            if (group.carried(ns, keep)) {
                out.add(n, group.output);
                continue;
            }
            NamespaceSample previous = group.output;
            int take = keep.size();
            boolean same = previous != null
                    && previous.listeners().size() == take
                    && previous.identity() == ns.identity()
                    && previous.counters() == ns.counters()
                    && previous.sysctls() == ns.sysctls();
            // every listener kept and given back as it came in (no history changed it): the input is the output
            boolean asIs = keep == ns.listeners();
            List<ListenerSample> listeners = new ArrayList<>(take);
            for (int i = 0; i < take; i++) {
                ListenerSample l = peaks.track(group, monotonicMillis, keep.get(i));
                same = same && l == previous.listeners().get(i);
                asIs = asIs && l == keep.get(i);
                listeners.add(l);
            }
            NamespaceSample result = same
                    ? previous
                    : asIs
                            ? ns
                            : new NamespaceSample(ns.netns(), ns.identity(), ns.counters(), ns.sysctls(), listeners);
            group.tracked(ns, keep, result);
            out.add(n, result);
        }
        peaks.endRound();
        return out.list();
    }

    @Override
    public void close() {
        running = false;
        stopRequested.countDown();
        if (!started) {
            closeTargets(); // rounds run by the caller (tests): no thread to wait for
            return;
        }
        try {
            if (!stopped.await(2, TimeUnit.SECONDS)) {
                LOG.warn("sampler did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
