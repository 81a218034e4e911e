package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the exporter through its launcher (target/listenq-exporter/bin/listenq-exporter: the shipped runtime, JVM
 * options and AOT cache, as users run it) and measures it from outside: time to the first 200 from /metrics and to
 * ready, RSS while scrapes run,
 * per-round times read back from its self-metrics, CPU from /proc/&lt;pid&gt;/stat over a window without scrapes,
 * RSS, heap, allocation per round and per scrape, scrape latency and size, and optionally the 10-scraper load test.
 */
final class ExporterProbe {
    static final String ROUND_METRIC = "listenq_sample_round_duration_seconds";
    private static final String COLLECTOR_METRIC = "listenq_collector_duration_seconds";
    /** A first round can be slow: with 200,000 sockets on the host, each namespace's first SYN-RECV dump walks them. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private static final String TIMESTAMP_METRIC = "listenq_last_sample_timestamp_seconds";

    /** Measurement windows; see README.md for what each figure means. */
    record Windows(Duration warmUp, Duration rounds, Duration cpu, Duration load) {}

    record Figures(
            String variant,
            double firstScrapeSeconds,
            double readySeconds,
            long rssScrapingBytes,
            int threads,
            List<Double> rounds,
            String roundSource,
            Map<String, Double> collectorMedians,
            double cpuCores,
            double cpuWindowSeconds,
            long rssBytes,
            double heapUsedBytes,
            double liveHeapBytes,
            double allocPerRound,
            double allocPerScrape,
            int responseBytes,
            int gzipBytes,
            List<Double> scrapeSeconds,
            double namespacesSampled,
            long listenerSeries,
            String netnsErrors,
            List<LoadTest.Result> load) {}

    private final Path launcher;
    private final String javaOptions;
    private final Path jcmd;
    private final ProcessStats proc;

    /**
     * @param javaOptions extra JVM options for the exporter (LISTENQ_JAVA_OPTIONS), "" for the shipped ones
     * @param jcmd        the JDK's jcmd, for the live heap after a full GC
     */
    ExporterProbe(Path launcher, String javaOptions, Path jcmd, ProcessStats proc) {
        this.launcher = launcher;
        this.javaOptions = javaOptions;
        this.jcmd = jcmd;
        this.proc = proc;
    }

    Figures run(String variant, List<String> flags, Windows w, boolean loadTest, Path logDir)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                launcher.toString(), "--netns=all", "--web.listen-address=127.0.0.1:" + port, "--sample.interval=1s"));
        command.addAll(flags);
        Path log = logDir.resolve("exporter-" + variant + "-" + port + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LISTENQ_JAVA_OPTIONS", javaOptions);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            double first = Http.waitFor200(port, "/metrics", start, READY_TIMEOUT);
            double ready = Http.waitFor200(port, "/-/ready", start, READY_TIMEOUT);
            if (ready < 0) {
                throw new IOException(variant + " exporter not ready within " + READY_TIMEOUT.toSeconds() + " s; log: "
                        + Files.readString(log));
            }
            Thread.sleep(w.warmUp().toMillis());
            return measure(variant, p.pid(), port, first, ready, w, loadTest);
        } finally {
            p.destroy(); // SIGTERM: the exporter's shutdown hook closes the sampler
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private Figures measure(String variant, long pid, int port, double first, double ready, Windows w, boolean loadTest)
            throws IOException, InterruptedException {
        // 1. rounds: poll twice per interval, keep each round once (by its end timestamp)
        List<Double> rounds = new ArrayList<>();
        Map<String, List<Double>> perCollector = new TreeMap<>();
        List<Double> scrapeSeconds = new ArrayList<>();
        List<Double> stamps = new ArrayList<>();
        String source = ROUND_METRIC;
        MetricsText last = null;
        int bytes = 0;
        long end = System.nanoTime() + w.rounds().toNanos();
        long rssScraping = 0;
        while (System.nanoTime() < end) {
            rssScraping = Math.max(rssScraping, proc.rssBytes(pid));
            Http.Response r = Http.get(port, "/metrics");
            scrapeSeconds.add(r.seconds());
            bytes = r.body().length;
            MetricsText m = MetricsText.parse(r.text());
            last = m;
            double ts = m.sum(TIMESTAMP_METRIC).orElse(Double.NaN);
            if (!Double.isNaN(ts) && (stamps.isEmpty() || ts != stamps.getLast())) {
                stamps.add(ts);
                var round = m.sum(ROUND_METRIC);
                if (round.isEmpty()) {
                    source = "sum of " + COLLECTOR_METRIC;
                }
                rounds.add(round.orElseGet(() -> m.sum(COLLECTOR_METRIC).orElse(Double.NaN)));
                for (MetricsText.Sample s : m.samples()) {
                    if (s.name().equals(COLLECTOR_METRIC)) {
                        perCollector
                                .computeIfAbsent(
                                        s.labels().replaceAll(".*collector=\"([^\"]*)\".*", "$1"),
                                        k -> new ArrayList<>())
                                .add(s.value());
                    }
                }
            }
            Thread.sleep(500);
        }
        if (last == null || rounds.size() < 2) {
            throw new IOException("fewer than 2 rounds seen in " + w.rounds());
        }
        rounds.removeFirst(); // the round in progress when the window opened may straddle the warm-up
        double period = stamps.size() > 1 ? (stamps.getLast() - stamps.getFirst()) / (stamps.size() - 1) : 1;

        // 2. CPU and allocation over a window with no scrape inside
        MetricsText s0 = fresh(port);
        double cpu0 = proc.cpuSeconds(pid);
        long wall0 = System.nanoTime();
        Thread.sleep(w.cpu().toMillis());
        double cpu1 = proc.cpuSeconds(pid);
        long wall1 = System.nanoTime();
        long rss = proc.rssBytes(pid);
        int threads = proc.threads(pid);
        MetricsText s1 = fresh(port);
        double cpuSeconds = (wall1 - wall0) / 1e9;
        double roundsInWindow = (stamp(s1) - stamp(s0)) / period;
        double windowAlloc = allocated(s1) - allocated(s0);

        // 3. allocation of one scrape: 20 back to back, less what the rounds in between allocated
        int scrapes = 20;
        MetricsText a0 = s1;
        MetricsText a1 = s1;
        for (int i = 0; i < scrapes; i++) {
            a1 = MetricsText.parse(Http.get(port, "/metrics").text());
        }
        a1 = fresh(port); // the rounds in between are subtracted below, by their timestamps
        double roundsBetween = (stamp(a1) - stamp(a0)) / period;
        double allocPerScrape =
                (allocated(a1) - allocated(a0) - windowAlloc / roundsInWindow * roundsBetween) / scrapes;
        // the window holds the second half of s0's scrape and the first half of s1's: about one scrape
        double allocPerRound = roundsInWindow > 0 ? (windowAlloc - allocPerScrape) / roundsInWindow : Double.NaN;
        double heapUsed = s1.sum("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);

        // 4. live heap: after a full GC requested through jcmd
        double liveHeap = Double.NaN;
        if (Files.isExecutable(jcmd)) {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (gc.waitFor(20, TimeUnit.SECONDS) && gc.exitValue() == 0) {
                liveHeap = fresh(port)
                        .sum("jvm_memory_used_bytes", "area=\"heap\"")
                        .orElse(Double.NaN);
            }
        }

        int gzipBytes = Http.get(port, "/metrics", true).body().length;
        List<LoadTest.Result> load = new ArrayList<>();
        if (loadTest) {
            load.add(LoadTest.run(port, "/metrics", 10, w.load(), false));
            load.add(LoadTest.run(port, "/metrics", 10, w.load(), true));
        }

        Map<String, Double> collectorMedians = new LinkedHashMap<>();
        perCollector.forEach((k, v) -> collectorMedians.put(k, Stats.median(v)));
        return new Figures(
                variant,
                first,
                ready,
                rssScraping,
                threads,
                rounds,
                source,
                collectorMedians,
                (cpu1 - cpu0) / cpuSeconds,
                cpuSeconds,
                rss,
                heapUsed,
                liveHeap,
                allocPerRound,
                allocPerScrape,
                bytes,
                gzipBytes,
                scrapeSeconds,
                last.sum("listenq_netns").orElse(Double.NaN),
                last.count("listenq_accept_queue_length"),
                errors(last),
                load);
    }

    /** listenq_netns_errors_total by reason, e.g. "scan_eacces=2", or "0". */
    private static String errors(MetricsText m) {
        List<String> out = new ArrayList<>();
        for (MetricsText.Sample s : m.samples()) {
            if (s.name().equals("listenq_netns_errors_total")) {
                out.add(s.labels().replaceAll(".*reason=\"([^\"]*)\".*", "$1") + "=" + (long) s.value());
            }
        }
        return out.isEmpty() ? "0" : String.join(", ", out);
    }

    /**
     * A scrape whose JVM figures are as of now (give or take one round). The exporter encodes /metrics once per
     * sampling round, at the first scrape of that round, so a scrape in the same round as the previous one repeats
     * the previous heap and allocation figures: scrape until the sample timestamp moves.
     */
    private static MetricsText fresh(int port) throws IOException, InterruptedException {
        double seen = stamp(MetricsText.parse(Http.get(port, "/metrics").text()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            MetricsText m = MetricsText.parse(Http.get(port, "/metrics").text());
            if (stamp(m) != seen || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(20);
        }
    }

    private static double stamp(MetricsText m) {
        return m.sum(TIMESTAMP_METRIC).orElse(Double.NaN);
    }

    /**
     * Bytes allocated since start. client_java's jvm_memory_pool_allocated_bytes_total for the eden pool only
     * moves at GCs (it adds eden's use before each collection), so add what eden holds now: every young collection
     * empties eden, so its current use is what was allocated since the last one. G1 reports eden use in whole
     * regions (1-4 MiB here), so a figure is only as good as that divided by the rounds or scrapes it spans.
     * (Other pools are left out: what they gain was promoted from eden, allocated once already.)
     */
    static double allocated(MetricsText m) {
        return m.sum("jvm_memory_pool_allocated_bytes_total", "Eden Space").orElse(Double.NaN)
                + m.sum("jvm_memory_pool_used_bytes", "Eden Space").orElse(0);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
