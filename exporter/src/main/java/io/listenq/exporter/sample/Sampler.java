package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.cli.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private final Targets targets;
    private final PeakTracker peaks;
    private final Owners owners;
    private final ProblemLog problems = new ProblemLog(LOG);
    private volatile RoundObserver observer = RoundObserver.NONE;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Wakes the sleep between rounds; the thread is never interrupted (that would close its open procfs files). */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean stranded;
    private volatile Snapshot current;
    private long listenersDropped;
    /** Last round's output per namespace, to hand back unchanged ones as they were. */
    private Map<String, NamespaceSample> lastTracked = Map.of();

    private Sampler(Config config, Targets targets) {
        this.config = config;
        this.targets = targets;
        this.peaks = new PeakTracker(config.peakWindow().toMillis(), config.sampleInterval().toMillis());
        this.owners = Owners.create(config.procfsRoot());
        this.thread = Thread.ofPlatform().name("listenq-sampler").daemon(true).unstarted(this::loop);
    }

    public static Sampler create(Config config) {
        return new Sampler(config, Targets.create(config));
    }

    /** Who is told about each completed round (the self-metrics); set before {@link #start()}. */
    public void observe(RoundObserver observer) {
        this.observer = observer;
    }

    public void start() {
        thread.start();
    }

    /** The latest snapshot, or null before the first round. */
    public Snapshot current() {
        return current;
    }

    public boolean ready() {
        return current != null;
    }

    /** False once the sampler thread has died or is stuck in a foreign namespace. */
    public boolean healthy() {
        return !stranded && (thread.isAlive() || !running);
    }

    public String modeDescription() {
        return targets.description();
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
            targets.close();
            stopped.countDown();
        }
    }

    /** One round: every target namespace, then one snapshot. Package-private for tests. */
    void round() {
        long start = System.nanoTime();
        RoundStats stats = new RoundStats();
        Execution run = new Execution(stats, problems);
        List<NamespaceSample> namespaces = new ArrayList<>(targets.sampleAll(run, () -> running));
        if (!running) {
            return; // an interrupted round is incomplete: keep serving the last whole one
        }
        long nowMillis = System.currentTimeMillis();
        namespaces = limitAndTrack(namespaces, System.nanoTime() / 1_000_000);
        Map<Long, ListenerOwner> owned = owners.resolve(namespaces, run);
        stats.markRan("round");
        problems.endRound(stats.ran());
        Snapshot s = new Snapshot(nowMillis, (System.nanoTime() - start) / 1e9, namespaces, stats.results(),
                targets.errors(), listenersDropped, owned);
        current = s;
        observer.roundEnded(s, stats.ran());
    }

    /**
     * Applies --max-listeners (in namespace order) and the peak tracker. A namespace whose listeners all came
     * back unchanged from the tracker keeps last round's output object: an idle round allocates next to nothing.
     */
    private List<NamespaceSample> limitAndTrack(List<NamespaceSample> namespaces, long monotonicMillis) {
        int budget = config.maxListeners();
        peaks.beginRound();
        List<NamespaceSample> out = new ArrayList<>(namespaces.size());
        Map<String, NamespaceSample> tracked = new HashMap<>(namespaces.size() * 2);
        for (NamespaceSample ns : namespaces) {
            int take = Math.min(budget, ns.listeners().size());
            budget -= take;
            listenersDropped += ns.listeners().size() - take;
            NamespaceSample previous = lastTracked.get(ns.netns());
            boolean same = previous != null && previous.listeners().size() == take
                    && previous.identity() == ns.identity() && previous.counters() == ns.counters()
                    && previous.sysctls() == ns.sysctls();
            List<ListenerSample> listeners = new ArrayList<>(take);
            for (int i = 0; i < take; i++) {
                ListenerSample l = peaks.track(monotonicMillis, ns.listeners().get(i));
                same = same && l == previous.listeners().get(i);
                listeners.add(l);
            }
            NamespaceSample result = same ? previous
                    : new NamespaceSample(ns.netns(), ns.identity(), ns.counters(), ns.sysctls(), listeners);
            out.add(result);
            tracked.put(ns.netns(), result);
        }
        peaks.endRound();
        lastTracked = tracked;
        return out;
    }

    @Override
    public void close() {
        running = false;
        stopRequested.countDown();
        try {
            if (!stopped.await(2, TimeUnit.SECONDS)) {
                LOG.warn("sampler did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
