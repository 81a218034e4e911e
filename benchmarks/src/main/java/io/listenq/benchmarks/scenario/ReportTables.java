package io.listenq.benchmarks.scenario;

import static io.listenq.benchmarks.scenario.Format.f;
import static io.listenq.benchmarks.scenario.Format.header;
import static io.listenq.benchmarks.scenario.Format.kib;
import static io.listenq.benchmarks.scenario.Format.mib;
import static io.listenq.benchmarks.scenario.Format.ms;
import static io.listenq.benchmarks.scenario.Format.ratio;
import static io.listenq.benchmarks.scenario.Format.row;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import java.util.ArrayList;
import java.util.List;

/** The report's tables after the rounds and CPU: resources, start, collectors, SYN-RECV, load, node_exporter, soak. */
final class ReportTables {
    private ReportTables() {}

    static void all(StringBuilder b, List<Result> results) {
        resources(b, results);
        footprint(b, results);
        collectors(b, results);
        synRecv(b, results);
        load(b, results);
        node(b, results);
    }

    private static void resources(StringBuilder b, List<Result> results) {
        b.append("## Resources\n\n");
        b.append(header(
                "<scenario",
                "<variant",
                "ready",
                "CPU (cores)",
                "RSS",
                "heap used",
                "live heap",
                "alloc/round",
                "alloc/scrape",
                "/metrics bytes: text (gzip, protobuf)",
                "scrape p50 (1 client)",
                "sampled ns",
                "listener series",
                "netns errors"));
        for (Result r : results) {
            for (var x : List.of(r.skipIdle(), r.naive())) {
                b.append(row(
                        r.scenario().name(),
                        x.variant(),
                        f(x.readySeconds(), 2) + " s",
                        f(x.cpu().cores(), 3),
                        mib(x.rssBytes()),
                        mib(x.heapUsedBytes()),
                        mib(x.liveHeapBytes()),
                        kib(x.allocPerRound()),
                        kib(x.allocPerScrape()),
                        x.bytes(Encoding.PLAIN) + " (" + x.bytes(Encoding.GZIP) + ", " + x.bytes(Encoding.PROTOBUF)
                                + ")",
                        ms(Stats.median(x.scrapeSeconds())),
                        f(x.namespacesSampled(), 0),
                        x.listenerSeries(),
                        x.netnsErrors()));
            }
        }
    }

    private static void footprint(StringBuilder b, List<Result> results) {
        b.append("\n## Start and footprint, against node_exporter in the same run\n\n");
        b.append("First 200: from process start (fork) to the first 200 from /metrics, polled every 10 ms. RSS while "
                + "scraping: the largest VmRSS seen during the round window (after the warm-up, a scrape every "
                + "500 ms). node_exporter: Debian's, default collectors, its own namespace.\n\n");
        b.append(header(
                "<scenario",
                "first 200, exporter",
                "node_exporter",
                "ratio",
                "exporter ready",
                "exporter RSS while scraping",
                "RSS, CPU window",
                "threads",
                "node_exporter RSS"));
        for (Result r : results) {
            var x = r.skipIdle();
            var ne = r.node();
            b.append(row(
                    r.scenario().name(),
                    ms(x.firstScrapeSeconds()),
                    ne == null ? "-" : ms(ne.readySeconds()),
                    ne == null ? "-" : ratio(x.firstScrapeSeconds() / ne.readySeconds()),
                    f(x.readySeconds(), 2) + " s",
                    mib(x.rssScrapingBytes()),
                    mib(x.rssBytes()),
                    x.threads(),
                    ne == null ? "-" : mib(ne.rssBytes())));
        }
    }

    private static void collectors(StringBuilder b, List<Result> results) {
        b.append("\n## Time per collector in a round (median over the round window)\n\n");
        List<String> names = results.stream()
                .flatMap(r -> r.skipIdle().collectors().keySet().stream())
                .distinct()
                .sorted()
                .toList();
        List<String> columns = new ArrayList<>(List.of("<scenario", "<variant"));
        columns.addAll(names);
        b.append(header(columns.toArray(String[]::new)));
        for (Result r : results) {
            for (var x : List.of(r.skipIdle(), r.naive())) {
                List<Object> cells = new ArrayList<>(List.of(r.scenario().name(), x.variant()));
                for (String c : names) {
                    var t = x.collectors().get(c);
                    cells.add(t == null ? "-" : ms(t.median()));
                }
                b.append(row(cells.toArray()));
            }
        }
    }

    private static void synRecv(StringBuilder b, List<Result> results) {
        List<Result> troubled =
                results.stream().filter(r -> r.synFloor() != null).toList();
        if (troubled.isEmpty()) {
            return;
        }
        b.append("\n## SYN-RECV dumps with the host's established connections\n\n");
        b.append("Exporter: `syn_recv` collector time per round over the round window (it runs in a namespace only "
                + "when a queue or drop counter calls for it, at most every --sample.syn-queue-interval, 5 s: the "
                + "mean is its amortised cost). C floor: `lqbench-floor synrecv` in the troubled namespace, CPU per "
                + "dump v4+v6; the filtered dump carries an INET_DIAG_REQ_BYTECODE `sport == "
                + Lab.TROUBLE_SYN_PORT
                + "`, so the kernel copies only that listener's requests, but it still walks the whole "
                + "established hash: that walk is the floor of any SYN-RECV count on this host.\n\n");
        b.append(header(
                "<scenario",
                "<variant",
                "syn_recv median",
                "mean",
                "max",
                "C: SYN-RECV dump (requests)",
                "C: filtered (requests)",
                "C: LISTEN dump (listeners)"));
        for (Result r : troubled) {
            var s = r.synFloor();
            for (var x : List.of(r.skipIdle(), r.naive())) {
                var t = x.collectors().get("syn_recv");
                b.append(row(
                        r.scenario().name(),
                        x.variant(),
                        t == null ? "-" : ms(t.median()),
                        t == null ? "-" : ms(t.mean()),
                        t == null ? "-" : ms(t.max()),
                        ms(s.unfiltered()) + " (" + s.requests() + ")",
                        ms(s.filtered()) + " (" + s.filteredRequests() + ")",
                        ms(s.listen()) + " (" + s.listeners() + ")"));
            }
        }
    }

    private static void load(StringBuilder b, List<Result> results) {
        List<Result> loaded =
                results.stream().filter(r -> !r.skipIdle().load().isEmpty()).toList();
        if (loaded.isEmpty()) {
            return;
        }
        b.append("\n## /metrics under concurrent scrapers (wrk, keep-alive, back to back)\n\n");
        b.append(header(
                "<scenario",
                "scrapers",
                "<asked for",
                "<Content-Type answered",
                "response bytes",
                "requests",
                "p50",
                "p99",
                "scrapes/s",
                "non-2xx"));
        for (Result r : loaded) {
            var x = r.skipIdle();
            for (var l : x.load()) {
                var a = x.answers().get(l.encoding());
                b.append(row(
                        r.scenario().name(),
                        l.scrapers(),
                        l.encoding().label,
                        a == null ? "-" : "`" + a.contentType() + "`",
                        x.bytes(l.encoding()),
                        l.requests(),
                        ms(l.p50()),
                        ms(l.p99()),
                        f(l.requestsPerSecond(), 1),
                        l.non2xx()));
            }
        }
    }

    private static void node(StringBuilder b, List<Result> results) {
        b.append("\n## node_exporter on the same host (sees its own namespace only)\n\n");
        b.append(header("<scenario", "ready", "scrape p50", "p99", "bytes", "RSS"));
        for (Result r : results) {
            var ne = r.node();
            if (ne != null) {
                b.append(row(
                        r.scenario().name(),
                        f(ne.readySeconds(), 2) + " s",
                        ms(Stats.median(ne.scrapeSeconds())),
                        ms(Stats.percentile(ne.scrapeSeconds(), 99)),
                        ne.responseBytes(),
                        mib(ne.rssBytes())));
            }
        }
    }

    static void soak(StringBuilder b, Soak.Result s) {
        b.append("\n## Churn soak: ")
                .append(Soak.NAMESPACES)
                .append(" namespaces, one listener replaced every 2 s, a scrape every second, ")
                .append(s.length().toMinutes())
                .append(" min\n\n");
        b.append(s.scrapes())
                .append(" scrapes (")
                .append(s.failedScrapes())
                .append(" not 200); ")
                .append(s.listenersSeen())
                .append(" distinct (namespace, port) listener series seen: the churn at work.\n\n");
        b.append(header("elapsed", "RSS", "threads", "open fds", "listener series", "<"));
        for (Soak.Row r : s.rows()) {
            b.append(row(r.elapsedSeconds() + " s", mib(r.rssBytes()), r.threads(), r.fds(), r.series(), r.mark()));
        }
    }
}
