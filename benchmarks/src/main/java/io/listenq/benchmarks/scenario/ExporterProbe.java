package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the exporter ({@link Launch}) and measures it from outside: time to the first 200 from /metrics and to
 * ready, RSS while scrapes run, per-round times read back from its self-metrics, CPU from /proc/&lt;pid&gt;/stat
 * over a window with a scrape every 15 s inside ({@link CpuWindow}), RSS, heap, allocation per round and per
 * scrape, scrape latency and size per encoding, and optionally the 10-scraper load tests.
 */
final class ExporterProbe {
    static final String ROUND_METRIC = "listenq_sample_round_duration_seconds";
    static final String COLLECTOR_METRIC = "listenq_collector_duration_seconds";
    static final String TIMESTAMP_METRIC = "listenq_last_sample_timestamp_seconds";

    /**
     * Measurement windows; see README.md for what each figure means.
     *
     * @param scrapeEvery the scrape interval inside the CPU window (as a Prometheus server would scrape)
     */
    record Windows(Duration warmUp, Duration rounds, Duration cpu, Duration scrapeEvery, Duration load) {}

    /** A collector's time per round over the round window: median, mean (amortises rare work) and maximum. */
    record CollectorTime(double median, double mean, double max) {}

    /** One answer of /metrics per encoding: its size on the wire and the Content-Type it came with. */
    record Answer(int bytes, String contentType) {}

    record Figures(
            String variant,
            double firstScrapeSeconds,
            double readySeconds,
            long rssScrapingBytes,
            int threads,
            List<Double> rounds,
            String roundSource,
            Map<String, CollectorTime> collectors,
            CpuWindow.Cpu cpu,
            long rssBytes,
            double heapUsedBytes,
            double liveHeapBytes,
            double allocPerRound,
            double allocPerScrape,
            Map<Encoding, Answer> answers,
            List<Double> scrapeSeconds,
            double namespacesSampled,
            long listenerSeries,
            String netnsErrors,
            List<LoadTest.Result> load) {
        int bytes(Encoding e) {
            Answer a = answers.get(e);
            return a == null ? -1 : a.bytes();
        }
    }

    private final Path launcher;
    private final String javaOptions;
    private final Path jcmd;
    private final ProcessStats proc;

    /** @param jcmd the JDK's jcmd, for the live heap after a full GC */
    ExporterProbe(Path launcher, String javaOptions, Path jcmd, ProcessStats proc) {
        this.launcher = launcher;
        this.javaOptions = javaOptions;
        this.jcmd = jcmd;
        this.proc = proc;
    }

    Figures run(String variant, List<String> flags, Windows w, boolean loadTest, Path logDir)
            throws IOException, InterruptedException {
        try (Launch l = Launch.start(launcher, javaOptions, variant, flags, logDir)) {
            Thread.sleep(w.warmUp().toMillis());
            return measure(variant, l, w, loadTest);
        }
    }

    private Figures measure(String variant, Launch l, Windows w, boolean loadTest)
            throws IOException, InterruptedException {
        long pid = l.pid();
        int port = l.port;
        // 1. rounds: poll twice per interval, keep each round once (by its end timestamp)
        List<Double> rounds = new ArrayList<>();
        Map<String, List<Double>> perCollector = new TreeMap<>();
        List<Double> scrapeSeconds = new ArrayList<>();
        List<Double> stamps = new ArrayList<>();
        String source = ROUND_METRIC;
        MetricsText last = null;
        long end = System.nanoTime() + w.rounds().toNanos();
        long rssScraping = 0;
        while (System.nanoTime() < end) {
            rssScraping = Math.max(rssScraping, proc.rssBytes(pid));
            Http.Response r = Http.get(port, "/metrics");
            scrapeSeconds.add(r.seconds());
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

        // 2. CPU, allocation and live heap
        CpuWindow.Result c = new CpuWindow(proc, jcmd, port, pid).measure(w.cpu(), w.scrapeEvery(), period);

        Map<Encoding, Answer> answers = new EnumMap<>(Encoding.class);
        for (Encoding e : Encoding.values()) {
            Http.Response r = Http.get(port, "/metrics", e);
            answers.put(e, new Answer(r.body().length, r.contentType()));
        }
        List<LoadTest.Result> load = new ArrayList<>();
        if (loadTest) {
            for (Encoding e : Encoding.values()) {
                load.add(LoadTest.run(port, "/metrics", 10, w.load(), e));
            }
        }

        Map<String, CollectorTime> collectors = new LinkedHashMap<>();
        perCollector.forEach((k, v) -> collectors.put(
                k,
                new CollectorTime(
                        Stats.median(v),
                        v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        Stats.percentile(v, 100))));
        return new Figures(
                variant,
                l.firstScrapeSeconds,
                l.readySeconds,
                rssScraping,
                c.threads(),
                rounds,
                source,
                collectors,
                c.cpu(),
                c.rssBytes(),
                c.heapUsedBytes(),
                c.liveHeapBytes(),
                c.allocPerRound(),
                c.allocPerScrape(),
                answers,
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
}
