package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets up each scenario (namespaces, listeners, load), runs the exporter with idle-namespace skipping and without
 * it (the naive sampler), the usual {@code ss} loop and node_exporter on the same namespaces, tears everything
 * down, and prints one markdown report. Needs root (ip netns, setns). Run it through {@code benchmarks/run}.
 *
 * <pre>
 * java -cp listenq-benchmarks.jar io.listenq.benchmarks.scenario.ScenarioRunner \
 *     --exporter=exporter/target/listenq-exporter/bin/listenq-exporter --helper=benchmarks/target/lqbench-helper \
 *     [--out=FILE] [--quick] [--exporter-java-opts="-Xmx96m ..."] [scenario ...]
 * </pre>
 */
public final class ScenarioRunner {
    /** Everything one scenario measured. {@code node} is null when node_exporter is not installed. */
    record Result(
            Scenario scenario,
            ExporterProbe.Figures skipIdle,
            ExporterProbe.Figures naive,
            Baselines.SsLoop ss,
            Baselines.NodeExporter node,
            double setupSeconds) {}

    private ScenarioRunner() {}

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of("exporter/target/listenq-exporter/bin/listenq-exporter");
        Path helper = Path.of("benchmarks/target/lqbench-helper");
        Path nodeExporter = Path.of("/usr/bin/prometheus-node-exporter");
        Path out = null;
        boolean quick = false;
        int ssMaxUnderConnections = 200;
        String javaOptions = "";
        List<String> names = new ArrayList<>();
        for (String a : args) {
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
            if (a.startsWith("--exporter=")) {
                launcher = Path.of(v);
            } else if (a.startsWith("--helper=")) {
                helper = Path.of(v);
            } else if (a.startsWith("--node-exporter=")) {
                nodeExporter = Path.of(v);
            } else if (a.startsWith("--out=")) {
                out = Path.of(v);
            } else if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--exporter-java-opts=")) {
                javaOptions = v.trim();
            } else if (a.startsWith("--ss-max=")) {
                ssMaxUnderConnections = Integer.parseInt(v);
            } else if (a.startsWith("--")) {
                System.err.println("unknown option " + a);
                System.exit(2);
            } else {
                names.add(a);
            }
        }
        List<Scenario> scenarios = names.isEmpty()
                ? Scenario.ALL
                : Scenario.ALL.stream().filter(s -> names.contains(s.name())).toList();
        names.forEach(Scenario::byName); // fail on unknown names
        for (Path p : List.of(launcher, helper)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " missing: build first (benchmarks/run does)");
            }
        }

        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        ProcessStats proc = new ProcessStats(Path.of("/proc"));
        ExporterProbe probe = new ExporterProbe(launcher, javaOptions, java.resolveSibling("jcmd"), proc);
        Path logDir = Files.createTempDirectory("lqbench-logs");
        ExporterProbe.Windows small = quick ? windows(2, 5, 5, 3) : windows(5, 15, 15, 10);
        ExporterProbe.Windows large = quick ? small : windows(5, 15, 30, 10);

        Lab lab = new Lab(helper, Path.of("/run/netns"));
        Thread cleanup = new Thread(() -> closeQuietly(lab), "lqbench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<String> leftovers = lab.present();
        if (!leftovers.isEmpty()) {
            System.err.println("deleting " + leftovers.size() + " lq-b-* namespaces left by an earlier run");
            lab.close();
        }
        List<Result> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        String loadBefore = Report.Environment.loadAverage();
        String report = "";
        try {
            for (Scenario s : scenarios) {
                System.err.printf("[%4.0fs] %s: %s%n", (System.nanoTime() - started) / 1e9, s.name(), s.description());
                try {
                    results.add(runOne(
                            s,
                            lab,
                            probe,
                            proc,
                            nodeExporter,
                            s.namespaces() >= 1000 ? large : small,
                            ssMaxUnderConnections,
                            logDir));
                } catch (IOException e) {
                    // one scenario failing (a helper, an exporter that never got ready) must not lose the others
                    System.err.println(s.name() + " failed: " + e.getMessage());
                    failures.add(
                            s.name() + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
                // rewritten after every scenario, so an interrupted run still leaves what it measured
                report = Report.markdown(
                        results,
                        failures,
                        Report.Environment.capture(
                                launcher,
                                javaOptions,
                                quick,
                                lab.createSeconds(),
                                (System.nanoTime() - started) / 1e9,
                                loadBefore));
                if (out != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    Files.writeString(out, report);
                }
            }
        } finally {
            lab.close();
        }
        System.out.println(report);
        if (out != null) {
            System.err.println("wrote " + out + " (exporter logs in " + logDir + ")");
        }
    }

    private static Result runOne(
            Scenario s,
            Lab lab,
            ExporterProbe probe,
            ProcessStats proc,
            Path nodeExporter,
            ExporterProbe.Windows w,
            int ssMax,
            Path logDir)
            throws IOException, InterruptedException {
        long t = System.nanoTime();
        Process scrapeHolder = null;
        String include;
        List<String> namespaces;
        if (s.scrapeOnly()) {
            scrapeHolder = lab.scrapeNamespace(s.listenersPerNamespace());
            include = Lab.SCRAPE_PREFIX + "0";
            namespaces = List.of(include);
        } else {
            lab.ensureNamespaces(s.namespaces(), s.listenersPerNamespace());
            include = Lab.PREFIX + "[0-9]+";
            namespaces = new ArrayList<>();
            for (int i = 0; i < s.namespaces(); i++) {
                namespaces.add(Lab.PREFIX + i);
            }
        }
        try {
            if (s.busyEvery() > 0) {
                lab.startBusy(s.namespaces(), s.busyEvery());
            }
            if (s.hostConnections() > 0) {
                lab.startConnections(s.hostConnections());
            }
            double setup = (System.nanoTime() - t) / 1e9;
            List<String> flags = List.of("--netns.include=" + include);
            ExporterProbe.Figures skip =
                    probe.run("skip-idle", concat(flags, "--sample.skip-idle=true"), w, s.loadTest(), logDir);
            // the load test measures serving, which does not depend on how the rounds sample: once is enough
            ExporterProbe.Figures naive =
                    probe.run("naive", concat(flags, "--sample.skip-idle=false"), w, false, logDir);
            Baselines.SsLoop ss = Baselines.ssLoop(namespaces, s.hostConnections() > 0 ? ssMax : Integer.MAX_VALUE);
            Baselines.NodeExporter node = Baselines.nodeExporter(nodeExporter, proc, logDir);
            return new Result(s, skip, naive, ss, node, setup);
        } finally {
            lab.stopBusy();
            lab.stopConnections();
            if (scrapeHolder != null) {
                lab.dropScrapeNamespace(scrapeHolder);
            }
        }
    }

    private static ExporterProbe.Windows windows(int warmUp, int rounds, int cpu, int load) {
        return new ExporterProbe.Windows(
                Duration.ofSeconds(warmUp),
                Duration.ofSeconds(rounds),
                Duration.ofSeconds(cpu),
                Duration.ofSeconds(load));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private static void closeQuietly(Lab lab) {
        try {
            lab.close();
        } catch (IOException | InterruptedException e) {
            System.err.println("cleanup failed: " + e + "; delete lq-b-* namespaces by hand (ip netns del)");
        }
    }
}
