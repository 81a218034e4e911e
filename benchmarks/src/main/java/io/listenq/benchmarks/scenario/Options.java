package io.listenq.benchmarks.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The scenario runner's command line; see {@link ScenarioRunner}. */
final class Options {
    Path launcher = Path.of("exporter/target/listenq-exporter/bin/listenq-exporter");
    Path helper = Path.of("benchmarks/target/lqbench-helper");
    Path floor = Path.of("benchmarks/target/lqbench-floor");
    Path nodeExporter = Path.of("/usr/bin/prometheus-node-exporter");
    Path out;
    boolean quick;
    int ssMax = 200;
    String javaOptions = "";
    List<Scenario> scenarios = Scenario.ALL;
    /** 0: no soak. Naming churn-soak runs it, for 8 minutes (2 with --quick) unless --soak-minutes says. */
    int soakMinutes;

    private Options() {}

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> names = new ArrayList<>();
        int soakMinutes = -1;
        for (String a : args) {
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
            if (a.startsWith("--exporter=")) {
                o.launcher = Path.of(v);
            } else if (a.startsWith("--helper=")) {
                o.helper = Path.of(v);
            } else if (a.startsWith("--floor=")) {
                o.floor = Path.of(v);
            } else if (a.startsWith("--node-exporter=")) {
                o.nodeExporter = Path.of(v);
            } else if (a.startsWith("--out=")) {
                o.out = Path.of(v);
            } else if (a.equals("--quick")) {
                o.quick = true;
            } else if (a.startsWith("--exporter-java-opts=")) {
                o.javaOptions = v.trim();
            } else if (a.startsWith("--ss-max=")) {
                o.ssMax = Integer.parseInt(v);
            } else if (a.startsWith("--soak-minutes=")) {
                soakMinutes = Integer.parseInt(v);
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + a);
            } else {
                names.add(a);
            }
        }
        boolean soak = names.remove(Soak.NAME);
        o.soakMinutes = !soak ? 0 : soakMinutes > 0 ? soakMinutes : o.quick ? 2 : 8;
        if (!names.isEmpty() || soak) {
            o.scenarios = names.stream()
                    .distinct()
                    .map(Scenario::byName)
                    .sorted(Scenario.ORDER)
                    .toList();
        }
        for (Path p : List.of(o.launcher, o.helper, o.floor)) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " missing: build first (benchmarks/run does)");
            }
        }
        return o;
    }
}
