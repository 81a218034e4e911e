package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets up each scenario (namespaces, listeners, load), runs the exporter with idle-namespace skipping and without
 * it (the naive sampler), the C floor, the usual {@code ss} loop and node_exporter on the same namespaces, tears
 * everything down, and prints one markdown report. Needs root (ip netns, setns). Run it through
 * {@code benchmarks/run}.
 *
 * <pre>
 * java -cp listenq-benchmarks.jar io.listenq.benchmarks.scenario.ScenarioRunner \
 *     --exporter=exporter/target/listenq-exporter/bin/listenq-exporter --helper=benchmarks/target/lqbench-helper \
 *     --floor=benchmarks/target/lqbench-floor [--out=FILE] [--quick] [--soak-minutes=8] \
 *     [--exporter-java-opts="-Xmx96m ..."] [scenario ...]
 * </pre>
 */
public final class ScenarioRunner {
    /**
     * Everything one scenario measured. {@code node} is null when node_exporter is not installed; {@code floor} and
     * {@code idleFloor} are null for the scrape-size scenario, {@code synFloor} for scenarios without a troubled
     * namespace.
     */
    record Result(
            Scenario scenario,
            ExporterProbe.Figures skipIdle,
            ExporterProbe.Figures naive,
            Floor.Round floor,
            Floor.Round idleFloor,
            Floor.SynRecv synFloor,
            Baselines.SsLoop ss,
            Baselines.NodeExporter node,
            double setupSeconds) {}

    /** What every scenario runs with. */
    record Setup(
            boolean quick,
            ExporterProbe probe,
            Floor floor,
            ProcessStats proc,
            Path nodeExporter,
            int ssMax,
            Path logDir) {}

    private ScenarioRunner() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        ProcessStats proc = new ProcessStats(Path.of("/proc"));
        Setup setup = new Setup(
                o.quick,
                new ExporterProbe(o.launcher, o.javaOptions, java.resolveSibling("jcmd"), proc),
                new Floor(o.floor),
                proc,
                o.nodeExporter,
                o.ssMax,
                Files.createTempDirectory("lqbench-logs"));
        ExporterProbe.Windows small = o.quick ? windows(2, 5, 15, 5) : windows(5, 15, 15, 15);
        ExporterProbe.Windows large = o.quick ? small : windows(5, 15, 30, 15);

        Lab lab = new Lab(o.helper, Path.of("/run/netns"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(lab), "lqbench-cleanup"));
        if (!lab.present().isEmpty()) {
            System.err.println("deleting " + lab.present().size() + " lq-b-* namespaces left by an earlier run");
            lab.close();
        }
        List<Result> results = new ArrayList<>();
        Soak.Result soak = null;
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        String loadBefore = Environment.loadAverage();
        String report = "";
        try {
            for (Scenario s : o.scenarios) {
                System.err.printf("[%4.0fs] %s: %s%n", (System.nanoTime() - started) / 1e9, s.name(), s.description());
                try {
                    results.add(runOne(s, lab, setup, s.namespaces() >= 1000 ? large : small));
                } catch (IOException e) {
                    // one scenario failing (a helper, an exporter that never got ready) must not lose the others
                    System.err.println(s.name() + " failed: " + e);
                    failures.add(
                            s.name() + ": " + e.toString().lines().findFirst().orElse(""));
                }
                report = write(o, results, soak, failures, lab, started, loadBefore);
            }
            if (o.soakMinutes > 0) {
                lab.close(); // the soak runs alone: no other helper, no other namespace of ours
                Duration length = Duration.ofMinutes(o.soakMinutes);
                System.err.printf(
                        "[%4.0fs] %s: %d namespaces, a listener replaced every 2 s, a scrape every second, %s%n",
                        (System.nanoTime() - started) / 1e9, Soak.NAME, Soak.NAMESPACES, length);
                try {
                    soak = Soak.run(lab, o.launcher, o.javaOptions, proc, length, setup.logDir());
                } catch (IOException e) {
                    System.err.println(Soak.NAME + " failed: " + e);
                    failures.add(
                            Soak.NAME + ": " + e.toString().lines().findFirst().orElse(""));
                }
                report = write(o, results, soak, failures, lab, started, loadBefore);
            }
        } finally {
            lab.close();
        }
        System.out.println(report);
        if (o.out != null) {
            System.err.println("wrote " + o.out + " (exporter logs in " + setup.logDir() + ")");
        }
    }

    /** Rewritten after every scenario, so an interrupted run still leaves what it measured. */
    private static String write(
            Options o,
            List<Result> results,
            Soak.Result soak,
            List<String> failures,
            Lab lab,
            long started,
            String loadBefore)
            throws IOException {
        String report = Report.markdown(
                results,
                soak,
                failures,
                Environment.capture(
                        o.launcher,
                        o.javaOptions,
                        o.quick,
                        lab.createSeconds(),
                        (System.nanoTime() - started) / 1e9,
                        loadBefore));
        if (o.out != null) {
            Files.createDirectories(o.out.toAbsolutePath().getParent());
            Files.writeString(o.out, report);
        }
        return report;
    }

    private static Result runOne(Scenario s, Lab lab, Setup setup, ExporterProbe.Windows w)
            throws IOException, InterruptedException {
        long t = System.nanoTime();
        Process scrapeHolder = null;
        String include;
        List<String> namespaces = new ArrayList<>();
        if (s.scrapeOnly()) {
            scrapeHolder = lab.scrapeNamespace(s.listenersPerNamespace());
            include = Lab.SCRAPE_PREFIX + "0";
            namespaces.add(include);
        } else {
            lab.ensureNamespaces(s.namespaces(), s.listenersPerNamespace());
            include = Lab.PREFIX + "[0-9]+" + (s.includesHost() ? "|host" : "");
            for (int i = 0; i < s.namespaces(); i++) {
                namespaces.add(Lab.PREFIX + i);
            }
        }
        try {
            if (s.busyEvery() > 0) {
                lab.startBusy(s.namespaces(), s.busyEvery());
            }
            if (s.troubled()) {
                lab.startTrouble(0);
            }
            if (s.hostConnections() > 0) {
                lab.startConnections(s.hostConnections());
            }
            double setupSeconds = (System.nanoTime() - t) / 1e9;
            List<String> flags = List.of("--netns.include=" + include);
            ExporterProbe.Figures skip = setup.probe()
                    .run("skip-idle", concat(flags, "--sample.skip-idle=true"), w, s.loadTest(), setup.logDir());
            // the load test measures serving, which does not depend on how the rounds sample: once is enough
            ExporterProbe.Figures naive =
                    setup.probe().run("naive", concat(flags, "--sample.skip-idle=false"), w, false, setup.logDir());
            Floor.Round floor = null;
            Floor.Round idleFloor = null;
            if (!s.scrapeOnly()) {
                // ~5 s of floor rounds (~0.1-0.8 ms per namespace-round), at least 8 rounds; the idle floor the
                // same count (~0.03 ms per namespace-round: well under a second)
                int rounds = Math.max(8, (setup.quick() ? 5_000 : 10_000) / s.namespaces());
                floor = setup.floor().round(Lab.PREFIX, s.namespaces(), rounds);
                idleFloor = setup.floor().idle(Lab.PREFIX, s.namespaces(), rounds);
            }
            Floor.SynRecv synFloor = s.troubled()
                    ? setup.floor().synRecv(Lab.PREFIX + "0", Lab.TROUBLE_SYN_PORT, setup.quick() ? 5 : 20)
                    : null;
            Baselines.SsLoop ss =
                    Baselines.ssLoop(namespaces, s.hostConnections() > 0 ? setup.ssMax() : Integer.MAX_VALUE);
            Baselines.NodeExporter node = Baselines.nodeExporter(setup.nodeExporter(), setup.proc(), setup.logDir());
            return new Result(s, skip, naive, floor, idleFloor, synFloor, ss, node, setupSeconds);
        } finally {
            lab.stopBusy();
            lab.stopTrouble();
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
                Duration.ofSeconds(15),
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
