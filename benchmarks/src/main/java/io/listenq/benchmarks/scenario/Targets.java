package io.listenq.benchmarks.scenario;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The performance targets (2-core machine), checked against one run's results. */
final class Targets {
    private Targets() {
    }

    private record Row(String target, String measured, Boolean met) {
    }

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
            rows.add(new Row("exporter CPU at 1 s, 1,000 idle ns <= 0.1 core", Report.f(cpu, 3) + " core",
                    cpu <= 0.1));
            double rss = idle.skipIdle().rssBytes();
            rows.add(new Row("RSS <= 150 MB at 1,000 ns", Report.mib(rss) + " (" + Report.f(rss / 1e6, 0) + " MB)",
                    rss <= 150e6));
        }
        if (busy != null) {
            rows.add(ratio("1,000 ns, 10% busy: round <= 0.35x naive (p50, same run)", busy, 0.35));
        }
        if (conns != null && idle != null) {
            double a = Stats.median(conns.skipIdle().rounds());
            double b = Stats.median(idle.skipIdle().rounds());
            rows.add(new Row("100,000 established on the host: round <= 1.2x idle-host round (p50)",
                    Report.ms(a) + " / " + Report.ms(b) + " = " + Report.f(a / b, 2) + "x", a / b <= 1.2));
        }
        if (scrape != null) {
            for (LoadTest.Result l : scrape.skipIdle().load()) {
                rows.add(new Row("/metrics with 10,000 listener series: p99 <= 50 ms, 10 concurrent scrapers"
                        + (l.gzip() ? ", gzip (as Prometheus asks)" : ", uncompressed"),
                        Report.ms(l.p99()) + " (" + (l.gzip() ? scrape.skipIdle().gzipBytes()
                                : scrape.skipIdle().responseBytes()) + " bytes)", l.p99() <= 0.05));
            }
        }
        double worstReady = results.stream().mapToDouble(r -> r.skipIdle().readySeconds()).max().orElse(Double.NaN);
        if (!results.isEmpty()) {
            String where = results.stream().filter(r -> r.skipIdle().readySeconds() == worstReady)
                    .map(r -> r.scenario().name()).findFirst().orElse("");
            rows.add(new Row("ready <= 1.5 s after start (worst scenario, skip-idle)",
                    Report.f(worstReady, 2) + " s (" + where + ")", worstReady <= 1.5));
        }
        StringBuilder b = new StringBuilder("| target | measured | met |\n|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.target()).append(" | ").append(r.measured()).append(" | ")
                    .append(r.met() ? "yes" : "**no**").append(" |\n");
        }
        return b.toString();
    }

    private static Row ratio(String target, Result r, double limit) {
        double s = Stats.median(r.skipIdle().rounds());
        double n = Stats.median(r.naive().rounds());
        return new Row(target, Report.ms(s) + " / " + Report.ms(n) + " = " + Report.f(s / n, 2) + "x", s / n <= limit);
    }
}
