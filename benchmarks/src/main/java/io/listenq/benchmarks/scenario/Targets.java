package io.listenq.benchmarks.scenario;

import static io.listenq.benchmarks.scenario.Format.f;
import static io.listenq.benchmarks.scenario.Format.mib;
import static io.listenq.benchmarks.scenario.Format.ms;
import static io.listenq.benchmarks.scenario.Format.ratio;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The issues' targets (2-core machine), checked against one run's results; a target whose scenario did not run is left out. */
final class Targets {
    private static final double MIB = 1 << 20;

    private Targets() {}

    /** @param met null: measured, no target */
    private record Row(String target, String measured, Boolean met) {}

    static String table(List<Result> results, Soak.Result soak) {
        Map<String, Result> by = Report.byName(results);
        List<Row> rows = new ArrayList<>();
        floor(rows, by.get("idle-200"), 0.5);
        Result idle = by.get("idle-1000");
        if (idle != null) {
            floor(rows, idle, 0.1);
            rows.add(roundRatio("1,000 idle ns x 10 listeners: round <= 0.2x naive (p50, same run)", idle, 0.2));
            double cpu = idle.skipIdle().cpu().cores();
            int scrapes = idle.skipIdle().cpu().scrapes();
            rows.add(new Row("exporter CPU at 1 s, 1,000 idle ns <= 0.1 core", f(cpu, 3) + " core", cpu <= 0.1));
            rows.add(new Row(
                    "exporter CPU at 1 s, 1,000 idle ns, a scrape every 15 s included: <= 0.05 core",
                    f(cpu, 3) + " core (" + scrapes + " scrapes in "
                            + f(idle.skipIdle().cpu().windowSeconds(), 0) + " s)",
                    cpu <= 0.05 && scrapes > 0));
            double rss = idle.skipIdle().rssScrapingBytes();
            rows.add(new Row("RSS <= 96 MiB at 1,000 ns x 10 listeners, scrapes running", mib(rss), rss <= 96 * MIB));
            double ready = idle.skipIdle().readySeconds();
            rows.add(new Row("ready <= 1.2 s at 1,000 ns", f(ready, 2) + " s", ready <= 1.2));
        }
        Result busy = by.get("busy-1000");
        if (busy != null) {
            rows.add(roundRatio("1,000 ns, 10% busy: round <= 0.35x naive (p50, same run)", busy, 0.35));
        }
        Result conns = by.get("conns-1000");
        if (conns != null && idle != null) {
            double a = Stats.median(conns.skipIdle().rounds());
            double b = Stats.median(idle.skipIdle().rounds());
            rows.add(new Row(
                    "100,000 established on the host, host sampled, one ns in trouble: round <= 1.2x idle-1000 round "
                            + "(p50)",
                    ms(a) + " / " + ms(b) + " = " + ratio(a / b),
                    a / b <= 1.2));
        }
        if (conns != null) {
            var t = conns.skipIdle().collectors().get("syn_recv");
            var s = conns.synFloor();
            rows.add(new Row(
                    "SYN-RECV dump cost there (exporter syn_recv per round, mean / max; C floor per dump)",
                    (t == null ? "not run" : ms(t.mean()) + " / " + ms(t.max()))
                            + (s == null ? "" : "; C " + ms(s.unfiltered()) + ", filtered " + ms(s.filtered())),
                    null));
        }
        Result small = by.get("idle-10");
        if (small != null) {
            double rss = small.skipIdle().rssScrapingBytes();
            rows.add(new Row("RSS <= 80 MiB at 10 ns x 10 listeners, scrapes running", mib(rss), rss <= 80 * MIB));
            if (small.node() != null) {
                double first = small.skipIdle().firstScrapeSeconds();
                double ratio = first / small.node().readySeconds();
                rows.add(new Row(
                        "launch to first 200 from /metrics <= 25x node_exporter's (10 ns, same run)",
                        ms(first) + " / " + ms(small.node().readySeconds()) + " = " + ratio(ratio),
                        ratio <= 25));
            }
        }
        Result scrape = by.get("scrape-10000");
        if (scrape != null) {
            for (LoadTest.Result l : scrape.skipIdle().load()) {
                Double limit = switch (l.encoding()) {
                    case PLAIN -> 0.05;
                    case GZIP -> 0.02;
                    case PROTOBUF -> null;
                };
                rows.add(new Row(
                        "/metrics, 10,000 listener series, 10 concurrent scrapers, " + l.encoding().label + ": p99"
                                + (limit == null ? " (measured)" : " <= " + ms(limit)),
                        ms(l.p99()) + " (" + scrape.skipIdle().bytes(l.encoding()) + " bytes)",
                        limit == null ? null : l.p99() <= limit && l.non2xx() == 0));
            }
        }
        if (soak != null) {
            soak(rows, soak);
        }
        StringBuilder b = new StringBuilder(Format.header("<target", "<measured", "<met"));
        for (Row r : rows) {
            b.append(Format.row(r.target(), r.measured(), r.met() == null ? "-" : r.met() ? "yes" : "**no**"));
        }
        return b.toString();
    }

    private static void floor(List<Row> rows, Result r, double limit) {
        if (r == null || r.floor() == null) {
            return;
        }
        int ns = r.scenario().namespaces();
        double exporter = r.skipIdle().cpu().perNamespaceRound(ns);
        double floor = r.floor().cpuPerNamespaceRound();
        rows.add(new Row(
                String.format(
                        java.util.Locale.ROOT,
                        "%,d idle ns: CPU per namespace-round <= %sx the C floor (naive: %s)",
                        ns,
                        f(limit, 1),
                        ratio(r.naive().cpu().perNamespaceRound(ns) / floor)),
                ms(exporter) + " / " + ms(floor) + " = " + ratio(exporter / floor) + idleFloor(r, exporter),
                exporter / floor <= limit));
    }

    /** How close the exporter is to the kernel's price of an exact idle namespace, if it was measured. */
    private static String idleFloor(Result r, double exporter) {
        if (r.idleFloor() == null) {
            return "";
        }
        double idle = r.idleFloor().cpuPerNamespaceRound();
        return " (idle floor " + ms(idle) + " = " + ratio(idle / r.floor().cpuPerNamespaceRound())
                + " the C floor; exporter / idle floor " + ratio(exporter / idle) + ")";
    }

    private static void soak(List<Row> rows, Soak.Result s) {
        String when = "minute " + Soak.baselineAt(s.length()).toSeconds() / 60.0 + " -> end";
        rows.add(new Row(
                "churn soak, " + s.length().toMinutes() + " min: RSS growth " + when + " <= 10%",
                mib(s.baseline().rssBytes()) + " -> " + mib(s.end().rssBytes()) + " = " + f(s.rssGrowth() * 100, 1)
                        + "%",
                s.rssGrowth() <= 0.10));
        // one scrape connection may be in flight or lingering either time (as ListenerChurnSoakIT allows)
        rows.add(new Row(
                "churn soak: open fds flat (+-2)",
                s.baseline().fds() + " -> " + s.end().fds(),
                Math.abs(s.end().fds() - s.baseline().fds()) <= 2));
        rows.add(new Row(
                "churn soak: threads flat (+-2)",
                s.baseline().threads() + " -> " + s.end().threads(),
                Math.abs(s.end().threads() - s.baseline().threads()) <= 2));
    }

    private static Row roundRatio(String target, Result r, double limit) {
        double s = Stats.median(r.skipIdle().rounds());
        double n = Stats.median(r.naive().rounds());
        return new Row(target, ms(s) + " / " + ms(n) + " = " + ratio(s / n), s / n <= limit);
    }
}
