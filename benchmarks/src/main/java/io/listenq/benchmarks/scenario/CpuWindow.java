package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The exporter's CPU over a window in which a scrape comes every {@code scrapeEvery} (gzip, as a Prometheus server
 * asks), so that exposition is paid for as in production; then allocation per round and per scrape, and the live
 * heap after a full GC.
 */
final class CpuWindow {
    /** The sampling thread's name (/proc/PID/task/TID/comm, at most 15 characters). */
    static final String SAMPLER_THREAD = "listenq-sampler";

    /**
     * CPU over the window.
     *
     * @param processSeconds utime + stime of the whole JVM (sampler, scrapes, GC, JIT, ...)
     * @param samplerSeconds utime + stime of the sampling thread alone
     * @param rounds         sampling rounds that ended in the window (from the sample timestamps)
     * @param scrapes        scrapes inside the window
     */
    record Cpu(double windowSeconds, double processSeconds, double samplerSeconds, double rounds, int scrapes) {
        double cores() {
            return processSeconds / windowSeconds;
        }

        /** Process CPU seconds per namespace per round: what one namespace-round costs, everything included. */
        double perNamespaceRound(int namespaces) {
            return processSeconds / rounds / namespaces;
        }

        double samplerPerNamespaceRound(int namespaces) {
            return samplerSeconds / rounds / namespaces;
        }
    }

    record Result(
            Cpu cpu,
            long rssBytes,
            int threads,
            double heapUsedBytes,
            double liveHeapBytes,
            double allocPerRound,
            double allocPerScrape) {}

    private final ProcessStats proc;
    private final Path jcmd;
    private final int port;
    private final long pid;

    CpuWindow(ProcessStats proc, Path jcmd, int port, long pid) {
        this.proc = proc;
        this.jcmd = jcmd;
        this.port = port;
        this.pid = pid;
    }

    /** @param period seconds between two rounds, as seen in the round window */
    Result measure(Duration window, Duration scrapeEvery, double period) throws IOException, InterruptedException {
        MetricsText s0 = fresh();
        double cpu0 = proc.cpuSeconds(pid);
        double sampler0 = proc.threadCpuSeconds(pid, SAMPLER_THREAD);
        long wall0 = System.nanoTime();
        long end = wall0 + window.toNanos();
        int scrapes = 0;
        // scrapes in the middle of each interval: 15 s -> one at 7.5 s; 30 s -> at 7.5 s and 22.5 s
        for (long at = wall0 + scrapeEvery.toNanos() / 2; at < end; at += scrapeEvery.toNanos()) {
            sleepUntil(at);
            Http.get(port, "/metrics", Encoding.GZIP);
            scrapes++;
        }
        sleepUntil(end);
        double cpu1 = proc.cpuSeconds(pid);
        double sampler1 = proc.threadCpuSeconds(pid, SAMPLER_THREAD);
        long wall1 = System.nanoTime();
        long rss = proc.rssBytes(pid);
        int threads = proc.threads(pid);
        MetricsText s1 = fresh();
        double roundsInWindow = (stamp(s1) - stamp(s0)) / period;
        double windowAlloc = allocated(s1) - allocated(s0);

        // allocation of one scrape: 20 back to back, less what the rounds in between allocated
        int n = 20;
        for (int i = 0; i < n; i++) {
            Http.get(port, "/metrics");
        }
        MetricsText a1 = fresh(); // the rounds in between are subtracted below, by their timestamps
        double roundsBetween = (stamp(a1) - stamp(s1)) / period;
        double allocPerScrape = (allocated(a1) - allocated(s1) - windowAlloc / roundsInWindow * roundsBetween) / n;
        // the window holds its scrapes, the second half of s0's last scrape and the first half of s1's: one more
        double allocPerRound =
                roundsInWindow > 0 ? (windowAlloc - (scrapes + 1) * allocPerScrape) / roundsInWindow : Double.NaN;
        double heapUsed = s1.sum("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
        Cpu cpu = new Cpu((wall1 - wall0) / 1e9, cpu1 - cpu0, sampler1 - sampler0, roundsInWindow, scrapes);
        return new Result(cpu, rss, threads, heapUsed, liveHeap(), allocPerRound, allocPerScrape);
    }

    /** Heap used after a full GC requested through jcmd, as the next round's exposition reports it. */
    private double liveHeap() throws IOException, InterruptedException {
        if (!Files.isExecutable(jcmd)) {
            return Double.NaN;
        }
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (gc.waitFor(20, TimeUnit.SECONDS) && gc.exitValue() == 0) {
            return fresh().sum("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
        }
        gc.destroyForcibly();
        return Double.NaN;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /**
     * A scrape whose JVM figures are as of now (give or take one round). The exporter encodes /metrics once per
     * sampling round, so a scrape in the same round as the previous one repeats the previous heap and allocation
     * figures: scrape until the sample timestamp moves.
     */
    private MetricsText fresh() throws IOException, InterruptedException {
        double seen = stamp(MetricsText.parse(Http.get(port, "/metrics").text()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            MetricsText m = MetricsText.parse(Http.get(port, "/metrics").text());
            if (stamp(m) != seen || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(50);
        }
    }

    private static double stamp(MetricsText m) {
        return m.sum(ExporterProbe.TIMESTAMP_METRIC).orElse(Double.NaN);
    }

    /**
     * Bytes allocated since start. client_java's jvm_memory_pool_allocated_bytes_total for the eden pool only
     * moves at GCs (it adds eden's use before each collection), so add what eden holds now: every young collection
     * empties eden, so its current use is what was allocated since the last one. (Other pools are left out: what
     * they gain was promoted from eden, allocated once already.)
     */
    static double allocated(MetricsText m) {
        return m.sum("jvm_memory_pool_allocated_bytes_total", "Eden Space").orElse(Double.NaN)
                + m.sum("jvm_memory_pool_used_bytes", "Eden Space").orElse(0);
    }
}
