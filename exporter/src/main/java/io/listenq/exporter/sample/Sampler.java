package io.listenq.exporter.sample;

import io.listenq.exporter.cli.Config;
import java.util.ArrayList;
import java.util.List;
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
    private final ProblemLog problems = new ProblemLog(LOG);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Wakes the sleep between rounds; the thread is never interrupted (that would close its open procfs files). */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean stranded;
    private volatile Snapshot current;
    private long listenersDropped;

    private Sampler(Config config, Targets targets) {
        this.config = config;
        this.targets = targets;
        this.peaks = new PeakTracker(config.peakWindow().toMillis(), config.sampleInterval().toMillis());
        this.thread = Thread.ofPlatform().name("listenq-sampler").daemon(true).unstarted(this::loop);
    }

    public static Sampler create(Config config) {
        return new Sampler(config, Targets.create(config));
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
        NamespaceReader.COLLECTORS.forEach(stats::declare);
        List<NamespaceSample> namespaces = new ArrayList<>(targets.sampleAll(stats, problems, () -> running));
        if (!running) {
            return; // an interrupted round is incomplete: keep serving the last whole one
        }
        long nowMillis = System.currentTimeMillis();
        namespaces = limitAndTrack(namespaces, System.nanoTime() / 1_000_000);
        stats.markRan("round");
        problems.endRound(stats.ran());
        current = new Snapshot(nowMillis, (System.nanoTime() - start) / 1e9, namespaces, stats.results(),
                targets.errors(), listenersDropped);
    }

    /** Applies --max-listeners (in namespace order) and the peak tracker. */
    private List<NamespaceSample> limitAndTrack(List<NamespaceSample> namespaces, long monotonicMillis) {
        List<ListenerSample> all = new ArrayList<>();
        int budget = config.maxListeners();
        List<Integer> kept = new ArrayList<>(namespaces.size());
        for (NamespaceSample ns : namespaces) {
            int take = Math.min(budget, ns.listeners().size());
            all.addAll(ns.listeners().subList(0, take));
            kept.add(take);
            budget -= take;
            listenersDropped += ns.listeners().size() - take;
        }
        List<ListenerSample> tracked = peaks.apply(monotonicMillis, all);
        List<NamespaceSample> out = new ArrayList<>(namespaces.size());
        int from = 0;
        for (int i = 0; i < namespaces.size(); i++) {
            NamespaceSample ns = namespaces.get(i);
            int n = kept.get(i);
            out.add(new NamespaceSample(ns.netns(), ns.identity(), ns.counters(), ns.sysctls(),
                    tracked.subList(from, from + n)));
            from += n;
        }
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
