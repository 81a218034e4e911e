package io.listenq.benchmarks.scenario;

import static io.listenq.benchmarks.scenario.Format.f;
import static io.listenq.benchmarks.scenario.Format.header;
import static io.listenq.benchmarks.scenario.Format.ms;
import static io.listenq.benchmarks.scenario.Format.ratio;
import static io.listenq.benchmarks.scenario.Format.row;

import io.listenq.benchmarks.scenario.ScenarioRunner.Result;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The markdown report of one run: header, sampling rounds, CPU against the floors, then {@link ReportTables}, the
 * soak and the targets. benchmarks/README.md says what each column means.
 */
final class Report {
    private Report() {}

    static String markdown(List<Result> results, Soak.Result soak, List<String> failures, Environment env) {
        StringBuilder b = new StringBuilder();
        b.append("# listenq scenario benchmarks, ").append(env.date()).append("\n\n");
        b.append("Commit ")
                .append(env.commit())
                .append(". Linux ")
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
                .append(" (their listeners share the kernel's listening hash: every LISTEN dump walks them too)")
                .append(". `ip netns add` took ")
                .append(f(env.namespaceCreateSeconds(), 1))
                .append(" s in all; the whole run ")
                .append(f(env.runSeconds() / 60, 1))
                .append(" min.\n\n**Load average** (1/5/15 min) before: ")
                .append(env.loadBefore())
                .append(", after: ")
                .append(env.loadAfter())
                .append(" (2 cores: anything above ~0.5 is someone else, and shows directly in wall times).\n\n");
        if (!results.isEmpty()) {
            rounds(b, results);
            cpu(b, results);
            ReportTables.all(b, results);
        }
        if (soak != null) {
            ReportTables.soak(b, soak);
        }
        if (!failures.isEmpty()) {
            b.append("\n## Failed scenarios\n\n");
            failures.forEach(x -> b.append("- ").append(x).append("\n"));
        }
        b.append("\n## Targets\n\n").append(Targets.table(results, soak)).append("\n");
        return b.toString();
    }

    private static void rounds(StringBuilder b, List<Result> results) {
        b.append("## Sampling round (exporter at --sample.interval=1s)\n\n");
        b.append(header(
                "<scenario",
                "ns",
                "listeners",
                "skip-idle p50",
                "p99",
                "per ns",
                "naive p50",
                "p99",
                "per ns",
                "skip/naive (p50)",
                "`ss -ltn` loop, all ns",
                "loop / skip-idle round"));
        for (Result r : results) {
            var s = r.skipIdle();
            var n = r.naive();
            int ns = r.scenario().namespaces();
            double sp50 = Stats.median(s.rounds());
            double np50 = Stats.median(n.rounds());
            b.append(row(
                    r.scenario().name() + (r.scenario().includesHost() ? " (+ host)" : ""),
                    ns,
                    r.scenario().listeners(),
                    ms(sp50),
                    ms(Stats.percentile(s.rounds(), 99)),
                    ms(sp50 / ns),
                    ms(np50),
                    ms(Stats.percentile(n.rounds(), 99)),
                    ms(np50 / ns),
                    ratio(sp50 / np50),
                    ms(r.ss().totalSeconds())
                            + (r.ss().measured() < r.ss().namespaces() ? " (from " + r.ss().measured() + ")" : ""),
                    f(r.ss().totalSeconds() / sp50, 0) + "x"));
        }
        b.append("\nRound times (wall) from `")
                .append(results.getFirst().skipIdle().roundSource())
                .append("`, one value per round over the round window (")
                .append(results.getFirst().skipIdle().rounds().size())
                .append("-ish rounds: p99 is the maximum).\n\n");
    }

    private static void cpu(StringBuilder b, List<Result> results) {
        b.append("## CPU per namespace-round, against the C floor and the Java naive mode\n\n");
        b.append("Exporter: process CPU (utime + stime of the whole JVM) over the CPU window, in which a gzip scrape "
                + "comes every 15 s, divided by the rounds that ended in the window and by the namespaces sampled (the host counts as one); the "
                + "sampler thread's share alone beside it. C floor: `lqbench-floor round` on the same namespaces "
                + "(getrusage over its rounds; setns, LISTEN v4+v6 on a cached socket, netstat, somaxconn, "
                + "nothing skipped). Idle floor: `lqbench-floor idle` on the same namespaces, the same rounds: "
                + "exactly what the exporter's idle path asks of the kernel per namespace, in C (no setns; one pread "
                + "each of snmp, sockstat and sockstat6 and one unix listener dump, on files and a sock_diag socket "
                + "opened in the namespace once; the dump left out, as the exporter does, where sockstat shows no "
                + "socket but IP ones and its own): the kernel's price of an exact idle namespace, below which no "
                + "exporter that still sees every change can go.\n\n");
        b.append(header(
                "<scenario",
                "ns",
                "window (scrapes)",
                "exporter cores",
                "exporter / ns-round",
                "sampler thread / ns-round",
                "naive / ns-round",
                "C floor / ns-round",
                "C floor round (wall)",
                "idle floor / ns-round",
                "exporter / C floor",
                "exporter / idle floor",
                "exporter / naive",
                "naive / C floor"));
        for (Result r : results) {
            int ns = r.scenario().sampledNamespaces();
            var c = r.skipIdle().cpu();
            double exporter = c.perNamespaceRound(ns);
            double naive = r.naive().cpu().perNamespaceRound(ns);
            double floor = r.floor() == null ? Double.NaN : r.floor().cpuPerNamespaceRound();
            double idle = r.idleFloor() == null ? Double.NaN : r.idleFloor().cpuPerNamespaceRound();
            b.append(row(
                    r.scenario().name(),
                    ns,
                    f(c.windowSeconds(), 0) + " s (" + c.scrapes() + ")",
                    f(c.cores(), 3),
                    ms(exporter),
                    ms(c.samplerPerNamespaceRound(ns)),
                    ms(naive),
                    ms(floor),
                    r.floor() == null ? "-" : ms(r.floor().wallPerRound()),
                    ms(idle),
                    ratio(exporter / floor),
                    ratio(exporter / idle),
                    ratio(exporter / naive),
                    ratio(naive / floor)));
        }
        b.append("\n");
    }

    /** Looks a scenario's result up by name. */
    static Map<String, Result> byName(List<Result> results) {
        return results.stream().collect(Collectors.toMap(r -> r.scenario().name(), Function.identity()));
    }
}
