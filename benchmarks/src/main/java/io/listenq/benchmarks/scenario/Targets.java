package io.listenq.benchmarks.scenario;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The performance targets (2-core machine), checked against one run's results. */
final class Targets {
    private Targets() {}

    private record Row(String target, String measured, Boolean met) {}

    static String table(List<Result> results) {
        Map<String, Result> by = Report.byName(results);
        List<Row> rows = new ArrayList<>();
        Result idle = by.get("idle-1000");
        Result busy = by.get("busy-1000");
        Result conns = by.get("conns-1000");
        Result scrape = by.get("scrape-10000");
        if (idle != null) {
            rows.add(ratio("1,000 idle ns x 10 listeners: round <= 0.2x naive (p50, same run)", idle, 0.2));
            double cpu = idle.skipIdle().cpuCores();
            rows.add(new Row("exporter CPU at 1 s, 1,000 idle ns <= 0.1 core", Report.f(cpu, 3) + " core", cpu <= 0.1));
            double rss = idle.skipIdle().rssScrapingBytes();
            rows.add(new Row(
                    "RSS <= 96 MiB at 1,000 ns x 10 listeners, scrapes running",
                    Report.mib(rss),
                    rss <= 96 * (1 << 20)));
            double ready = idle.skipIdle().readySeconds();
            rows.add(new Row("ready <= 1.2 s at 1,000 ns", Report.f(ready, 2) + " s", ready <= 1.2));
        }
        Result small = by.get("idle-10");
        if (small != null) {
            double rss = small.skipIdle().rssScrapingBytes();
            rows.add(new Row(
                    "RSS <= 80 MiB at 10 ns x 10 listeners, scrapes running", Report.mib(rss), rss <= 80 * (1 << 20)));
            if (small.node() != null) {
                double ratio =
                        small.skipIdle().firstScrapeSeconds() / small.node().readySeconds();
                rows.add(new Row(
                        "launch to first 200 from /metrics <= 25x node_exporter's (10 ns, same run)",
                        Report.ms(small.skipIdle().firstScrapeSeconds()) + " / "
                                + Report.ms(small.node().readySeconds()) + " = " + Report.f(ratio, 1) + "x",
                        ratio <= 25));
            }
        }
        if (busy != null) {
            rows.add(ratio("1,000 ns, 10% busy: round <= 0.35x naive (p50, same run)", busy, 0.35));
        }
        if (conns != null && idle != null) {
            double a = Stats.median(conns.skipIdle().rounds());
            double b = Stats.median(idle.skipIdle().rounds());
            rows.add(new Row(
                    "100,000 established on the host: round <= 1.2x idle-host round (p50)",
                    Report.ms(a) + " / " + Report.ms(b) + " = " + Report.f(a / b, 2) + "x",
                    a / b <= 1.2));
        }
        if (scrape != null) {
            for (LoadTest.Result l : scrape.skipIdle().load()) {
                rows.add(new Row(
                        "/metrics with 10,000 listener series: p99 <= 50 ms, 10 concurrent scrapers"
                                + (l.gzip() ? ", gzip (as Prometheus asks)" : ", uncompressed"),
                        Report.ms(l.p99()) + " ("
                                + (l.gzip()
                                        ? scrape.skipIdle().gzipBytes()
                                        : scrape.skipIdle().responseBytes()) + " bytes)",
                        l.p99() <= 0.05));
            }
        }
        double worstReady = results.stream()
                .mapToDouble(r -> r.skipIdle().readySeconds())
                .max()
                .orElse(Double.NaN);
        if (!results.isEmpty()) {
            String where = results.stream()
                    .filter(r -> r.skipIdle().readySeconds() == worstReady)
                    .map(r -> r.scenario().name())
                    .findFirst()
                    .orElse("");
            rows.add(new Row(
                    "ready <= 1.5 s after start (worst scenario, skip-idle)",
                    Report.f(worstReady, 2) + " s (" + where + ")",
                    worstReady <= 1.5));
        }
        StringBuilder b = new StringBuilder("| target | measured | met |\n|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ")
                    .append(r.target())
                    .append(" | ")
                    .append(r.measured())
                    .append(" | ")
                    .append(r.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        return b.toString();
    }

    private static Row ratio(String target, Result r, double limit) {
        double s = Stats.median(r.skipIdle().rounds());
        double n = Stats.median(r.naive().rounds());
        return new Row(target, Report.ms(s) + " / " + Report.ms(n) + " = " + Report.f(s / n, 2) + "x", s / n <= limit);
    }
}
