package io.listenq.benchmarks.scenario;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import io.listenq.collectors.procfs.ProcFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/** The markdown tables of one run; benchmarks/README.md says what each column means. */
final class Report {
    record Environment(
            String date,
            String kernel,
            int cpus,
            String java,
            String exporterJavaOptions,
            boolean quick,
            long foreignNamespaces,
            double namespaceCreateSeconds,
            double runSeconds,
            String loadBefore,
            String loadAfter) {
        static String loadAverage() {
            try {
                return String.join(
                        " ",
                        Arrays.copyOf(
                                ProcFile.read(Path.of("/proc/loadavg")).strip().split(" "), 3));
            } catch (IOException e) {
                return "unknown";
            }
        }

        static Environment capture(
                Path launcher,
                String javaOptions,
                boolean quick,
                double createSeconds,
                double runSeconds,
                String loadBefore) {
            String kernel;
            try {
                kernel = ProcFile.read(Path.of("/proc/sys/kernel/osrelease")).strip();
            } catch (IOException e) {
                kernel = "unknown";
            }
            long foreign = 0;
            try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
                foreign = s.filter(p -> !p.getFileName().toString().startsWith(Lab.PREFIX))
                        .count();
            } catch (IOException e) {
                // no /run/netns: none
            }
            return new Environment(
                    OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                    kernel,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version().toString(),
                    shippedOptions(launcher) + (javaOptions.isEmpty() ? "" : " + LISTENQ_JAVA_OPTIONS=" + javaOptions),
                    quick,
                    foreign,
                    createSeconds,
                    runSeconds,
                    loadBefore,
                    loadAverage());
        }
    }

    private Report() {}

    /** The options baked into the runtime the launcher belongs to (jlink writes them into its lib/modules). */
    private static String shippedOptions(Path launcher) {
        Path java = launcher.toAbsolutePath().resolveSibling("java");
        try {
            Process p = new ProcessBuilder(
                            java.toString(), "-XshowSettings:vm", "-XX:+PrintCommandLineFlags", "-version")
                    .redirectErrorStream(true)
                    .start();
            String flags = new String(p.getInputStream().readAllBytes())
                    .lines()
                    .findFirst()
                    .orElse("?");
            p.waitFor();
            return "the runtime's (" + flags.strip() + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String markdown(List<Result> results, List<String> failures, Environment env) {
        StringBuilder b = new StringBuilder();
        b.append("# listenq scenario benchmarks, ").append(env.date()).append("\n\n");
        b.append("Linux ")
                .append(env.kernel())
                .append(", ")
                .append(env.cpus())
                .append(" CPUs, JDK ")
                .append(env.java())
                .append("; exporter JVM options: ")
                .append(env.exporterJavaOptions())
                .append(env.quick() ? "; **--quick windows (not for comparison)**" : "")
                .append(". Other named namespaces on the host during the run: ")
                .append(env.foreignNamespaces())
                .append(". `ip netns add` took ")
                .append(f(env.namespaceCreateSeconds(), 1))
                .append(" s in all; the whole run ")
                .append(f(env.runSeconds() / 60, 1))
                .append(" min. Load average (1/5/15 min) before: ")
                .append(env.loadBefore())
                .append(", after: ")
                .append(env.loadAfter())
                .append(" (the machine is shared: anything above ~0.5 is someone else).\n\n");

        b.append("## Sampling round (exporter at --sample.interval=1s)\n\n");
        b.append("| scenario | ns | listeners | skip-idle p50 | p99 | per ns | naive p50 | p99 | per ns | skip/naive "
                + "(p50) | `ss -ltn` loop, all ns | loop / skip-idle round |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            var s = r.skipIdle();
            var n = r.naive();
            double sp50 = Stats.median(s.rounds());
            double np50 = Stats.median(n.rounds());
            b.append("| ")
                    .append(r.scenario().name())
                    .append(" | ")
                    .append(r.scenario().namespaces())
                    .append(" | ")
                    .append(r.scenario().listeners())
                    .append(" | ")
                    .append(ms(sp50))
                    .append(" | ")
                    .append(ms(Stats.percentile(s.rounds(), 99)))
                    .append(" | ")
                    .append(ms(sp50 / r.scenario().namespaces()))
                    .append(" | ")
                    .append(ms(np50))
                    .append(" | ")
                    .append(ms(Stats.percentile(n.rounds(), 99)))
                    .append(" | ")
                    .append(ms(np50 / r.scenario().namespaces()))
                    .append(" | ")
                    .append(f(sp50 / np50, 2))
                    .append("x")
                    .append(" | ")
                    .append(ms(r.ss().totalSeconds()))
                    .append(r.ss().measured() < r.ss().namespaces() ? " (from " + r.ss().measured() + ")" : "")
                    .append(" | ")
                    .append(f(r.ss().totalSeconds() / sp50, 0))
                    .append("x |\n");
        }
        b.append("\nRound times from `")
                .append(results.isEmpty() ? "" : results.getFirst().skipIdle().roundSource())
                .append("`, one value per round over the round window (")
                .append(
                        results.isEmpty()
                                ? 0
                                : results.getFirst().skipIdle().rounds().size())
                .append("-ish rounds: p99 is the maximum).\n\n");

        b.append("## Resources\n\n");
        b.append(
                "| scenario | variant | ready | CPU (cores) | RSS | heap used | live heap | alloc/round | alloc/scrape "
                        + "| /metrics bytes (gzip) | scrape p50 (1 client) | sampled ns | listener series | netns errors |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            for (var x : List.of(r.skipIdle(), r.naive())) {
                b.append("| ")
                        .append(r.scenario().name())
                        .append(" | ")
                        .append(x.variant())
                        .append(" | ")
                        .append(f(x.readySeconds(), 2))
                        .append(" s")
                        .append(" | ")
                        .append(f(x.cpuCores(), 3))
                        .append(" | ")
                        .append(mib(x.rssBytes()))
                        .append(" | ")
                        .append(mib(x.heapUsedBytes()))
                        .append(" | ")
                        .append(mib(x.liveHeapBytes()))
                        .append(" | ")
                        .append(kib(x.allocPerRound()))
                        .append(" | ")
                        .append(kib(x.allocPerScrape()))
                        .append(" | ")
                        .append(x.responseBytes())
                        .append(" (")
                        .append(x.gzipBytes())
                        .append(")")
                        .append(" | ")
                        .append(ms(Stats.median(x.scrapeSeconds())))
                        .append(" | ")
                        .append(f(x.namespacesSampled(), 0))
                        .append(" | ")
                        .append(x.listenerSeries())
                        .append(" | ")
                        .append(x.netnsErrors())
                        .append(" |\n");
            }
        }

        b.append("\n## Start and footprint, against node_exporter in the same run\n\n");
        b.append("First 200: from process start (fork) to the first 200 from /metrics, polled every 10 ms. RSS while "
                + "scraping: the largest VmRSS seen during the round window (after the warm-up, a scrape every "
                + "500 ms). node_exporter: Debian's, default collectors, its own namespace.\n\n");
        b.append(
                "| scenario | first 200, exporter | node_exporter | ratio | exporter ready | exporter RSS while scraping "
                        + "| RSS, idle window | threads | node_exporter RSS |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            var x = r.skipIdle();
            var ne = r.node();
            b.append("| ")
                    .append(r.scenario().name())
                    .append(" | ")
                    .append(ms(x.firstScrapeSeconds()))
                    .append(" | ")
                    .append(ne == null ? "-" : ms(ne.readySeconds()))
                    .append(" | ")
                    .append(ne == null ? "-" : f(x.firstScrapeSeconds() / ne.readySeconds(), 1) + "x")
                    .append(" | ")
                    .append(f(x.readySeconds(), 2))
                    .append(" s")
                    .append(" | ")
                    .append(mib(x.rssScrapingBytes()))
                    .append(" | ")
                    .append(mib(x.rssBytes()))
                    .append(" | ")
                    .append(x.threads())
                    .append(" | ")
                    .append(ne == null ? "-" : mib(ne.rssBytes()))
                    .append(" |\n");
        }

        b.append("\n## Time per collector in a round (median over the round window)\n\n");
        List<String> collectors = results.stream()
                .flatMap(r -> r.skipIdle().collectorMedians().keySet().stream())
                .distinct()
                .sorted()
                .toList();
        b.append("| scenario | variant | ")
                .append(String.join(" | ", collectors))
                .append(" |\n|---|---|")
                .append("---:|".repeat(collectors.size()))
                .append("\n");
        for (Result r : results) {
            for (var x : List.of(r.skipIdle(), r.naive())) {
                b.append("| ")
                        .append(r.scenario().name())
                        .append(" | ")
                        .append(x.variant())
                        .append(" | ");
                for (String c : collectors) {
                    Double v = x.collectorMedians().get(c);
                    b.append(v == null ? "-" : ms(v)).append(" | ");
                }
                b.append("\n");
            }
        }

        List<Result> loaded =
                results.stream().filter(r -> !r.skipIdle().load().isEmpty()).toList();
        if (!loaded.isEmpty()) {
            b.append("\n## /metrics under concurrent scrapers (wrk, keep-alive, back to back)\n\n");
            b.append("| scenario | variant | scrapers | Accept-Encoding | response bytes | requests | p50 | p99 | "
                    + "scrapes/s | non-2xx |\n");
            b.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (Result r : loaded) {
                for (var x : List.of(r.skipIdle(), r.naive())) {
                    for (var l : x.load()) {
                        b.append("| ")
                                .append(r.scenario().name())
                                .append(" | ")
                                .append(x.variant())
                                .append(" | ")
                                .append(l.scrapers())
                                .append(" | ")
                                .append(l.gzip() ? "gzip" : "-")
                                .append(" | ")
                                .append(l.gzip() ? x.gzipBytes() : x.responseBytes())
                                .append(" | ")
                                .append(l.requests())
                                .append(" | ")
                                .append(ms(l.p50()))
                                .append(" | ")
                                .append(ms(l.p99()))
                                .append(" | ")
                                .append(f(l.requestsPerSecond(), 1))
                                .append(" | ")
                                .append(l.non2xx())
                                .append(" |\n");
                    }
                }
            }
        }

        b.append("\n## node_exporter on the same host (sees its own namespace only)\n\n");
        b.append("| scenario | ready | scrape p50 | p99 | bytes | RSS |\n|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            var ne = r.node();
            if (ne != null) {
                b.append("| ")
                        .append(r.scenario().name())
                        .append(" | ")
                        .append(f(ne.readySeconds(), 2))
                        .append(" s | ")
                        .append(ms(Stats.median(ne.scrapeSeconds())))
                        .append(" | ")
                        .append(ms(Stats.percentile(ne.scrapeSeconds(), 99)))
                        .append(" | ")
                        .append(ne.responseBytes())
                        .append(" | ")
                        .append(mib(ne.rssBytes()))
                        .append(" |\n");
            }
        }

        if (!failures.isEmpty()) {
            b.append("\n## Failed scenarios\n\n");
            failures.forEach(f -> b.append("- ").append(f).append("\n"));
        }
        b.append("\n## Targets\n\n").append(Targets.table(results)).append("\n");
        return b.toString();
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String ms(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        double ms = seconds * 1000;
        return (ms < 1 ? f(ms, 3) : ms < 10 ? f(ms, 2) : ms < 100 ? f(ms, 1) : f(ms, 0)) + " ms";
    }

    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "-" : f(bytes / (1 << 20), 1) + " MiB";
    }

    static String kib(double bytes) {
        return Double.isNaN(bytes) ? "-" : f(bytes / 1024, 0) + " KiB";
    }

    /** Looks a scenario's result up by name. */
    static Map<String, Result> byName(List<Result> results) {
        return results.stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.scenario().name(), Function.identity()));
    }
}
