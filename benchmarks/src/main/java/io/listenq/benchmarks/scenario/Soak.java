package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The churn soak (issue 9: flat over time): 50 namespaces with a listener each, one of them has its listener
 * replaced every 2 s (lqbench-helper churn), the exporter scraped every second; RSS, threads and open fds read
 * every 30 s, the baseline at minute 2 (half-way in runs shorter than 4 minutes). The shortened form that runs in
 * CI is exporter/src/test/java/io/listenq/exporter/soak/ListenerChurnSoakIT.java.
 */
final class Soak {
    static final String NAME = "churn-soak";
    static final int NAMESPACES = 50;
    private static final int BASE_PORT = 8000;
    private static final Pattern NETNS_PORT = Pattern.compile("netns=\"([^\"]*)\".*port=\"(\\d+)\"");

    record Row(long elapsedSeconds, long rssBytes, int threads, int fds, long series, String mark) {}

    /**
     * @param listenersSeen distinct (namespace, port) listener series seen: 50 plus one per replacement scraped
     * @param failedScrapes scrapes that did not answer 200
     */
    record Result(
            Duration length, List<Row> rows, Row baseline, Row end, int scrapes, int failedScrapes, int listenersSeen) {
        double rssGrowth() {
            return (double) end.rssBytes() / baseline.rssBytes() - 1;
        }
    }

    private Soak() {}

    static Duration baselineAt(Duration length) {
        return length.compareTo(Duration.ofMinutes(4)) >= 0 ? Duration.ofMinutes(2) : length.dividedBy(2);
    }

    static Result run(Lab lab, Path launcher, String javaOptions, ProcessStats proc, Duration length, Path logDir)
            throws IOException, InterruptedException {
        Process churn = lab.churn(NAMESPACES, BASE_PORT, 2000);
        try (Launch l = Launch.start(
                launcher,
                javaOptions,
                NAME,
                List.of("--netns.include=" + Lab.CHURN_PREFIX + "[0-9]+", "--log.level=warn"),
                logDir)) {
            List<Row> rows = new ArrayList<>();
            Set<String> listeners = new HashSet<>();
            long start = System.nanoTime();
            long baselineNanos = start + baselineAt(length).toNanos();
            long nextRow = start;
            Row baseline = null;
            int scrapes = 0;
            int failed = 0;
            long series = 0;
            long next = start;
            while (System.nanoTime() < start + length.toNanos()) {
                Http.Response r = Http.get(l.port, "/metrics");
                scrapes++;
                if (r.status() == 200) {
                    MetricsText m = MetricsText.parse(r.text());
                    series = m.count("listenq_accept_queue_length");
                    for (MetricsText.Sample s : m.samples()) {
                        Matcher p = NETNS_PORT.matcher(s.labels());
                        if (s.name().equals("listenq_accept_queue_length") && p.find()) {
                            listeners.add(p.group(1) + ":" + p.group(2));
                        }
                    }
                } else {
                    failed++;
                }
                long now = System.nanoTime();
                if (baseline == null && now >= baselineNanos) {
                    baseline = row(proc, l.pid(), start, series, "baseline");
                    rows.add(baseline);
                    nextRow = Math.max(nextRow, now + TimeUnit.SECONDS.toNanos(30));
                } else if (now >= nextRow) {
                    rows.add(row(proc, l.pid(), start, series, ""));
                    nextRow += TimeUnit.SECONDS.toNanos(30);
                }
                next += TimeUnit.SECONDS.toNanos(1);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            }
            if (baseline == null) {
                baseline = rows.getFirst();
            }
            Row end = row(proc, l.pid(), start, series, "end");
            rows.add(end);
            return new Result(length, rows, baseline, end, scrapes, failed, listeners.size());
        } finally {
            Lab.stop(churn);
        }
    }

    private static Row row(ProcessStats proc, long pid, long start, long series, String mark) throws IOException {
        return new Row(
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                proc.rssBytes(pid),
                proc.threads(pid),
                proc.fds(pid),
                series,
                mark);
    }
}
