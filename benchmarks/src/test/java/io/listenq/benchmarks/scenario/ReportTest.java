package io.listenq.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CPU table and the targets set the exporter against both C floors: the naive round and the exact idle one. */
class ReportTest {
    private static final Environment ENV =
            new Environment("2026-11-30", "abc", "6.18", 2, "25", "-Xmx96m", false, 0, 1, 60, "0 0 0", "0 0 0");

    /** idle-200: exporter 0.120 ms per namespace-round (18 s CPU over 750 rounds x 200 ns in 30 s). */
    private static ScenarioRunner.Result idle200(Floor.Round idleFloor) {
        var exporter = figures("skip-idle", new CpuWindow.Cpu(30, 18, 14, 750, 2));
        var naive = figures("naive", new CpuWindow.Cpu(30, 60, 50, 750, 2));
        var floor = new Floor.Round(200, 50, 0.0008, 0.2, 2000);
        return new ScenarioRunner.Result(
                Scenario.byName("idle-200"),
                exporter,
                naive,
                floor,
                idleFloor,
                null,
                new Baselines.SsLoop(200, 200, 2.0, 2000),
                null,
                1);
    }

    private static ExporterProbe.Figures figures(String variant, CpuWindow.Cpu cpu) {
        return new ExporterProbe.Figures(
                variant,
                0.5,
                0.7,
                40 << 20,
                20,
                List.of(0.01, 0.012),
                "listenq_sample_round_duration_seconds",
                Map.of(),
                cpu,
                40 << 20,
                10e6,
                8e6,
                1024,
                4096,
                Map.of(),
                List.of(0.002),
                200,
                2000,
                "",
                List.of());
    }

    @Test
    void cpuTableShowsTheIdleFloorAndTheExporterAgainstIt() {
        // idle floor 0.040 ms per namespace-round: the exporter's 0.120 ms is 3.0x it, 0.15x the naive C floor
        String md = Report.markdown(
                List.of(idle200(Floor.rounds(Floor.parse("mode=idle namespaces=200 rounds=50 listeners_per_round=0 "
                        + "cpu_ms_per_ns_round=0.040000 wall_ms_per_round=9.5 snmp_changes=0 checksum=1\n")))),
                null,
                List.of(),
                ENV);
        String cpu = section(md, "## CPU per namespace-round");
        assertThat(cpu).contains("`lqbench-floor idle`", "kernel's price of an exact idle namespace");
        List<String> header = cells(line(cpu, "| scenario |"));
        List<String> row = cells(line(cpu, "| idle-200 |"));
        assertThat(header).hasSameSizeAs(row);
        assertThat(row.get(header.indexOf("idle floor / ns-round"))).isEqualTo("0.040 ms");
        assertThat(row.get(header.indexOf("exporter / idle floor"))).isEqualTo("3.00x");
        assertThat(row.get(header.indexOf("exporter / C floor"))).isEqualTo("0.15x");
        assertThat(row.get(header.indexOf("C floor / ns-round"))).isEqualTo("0.800 ms");
        assertThat(line(section(md, "## Targets"), "200 idle ns"))
                .contains("0.120 ms / 0.800 ms = 0.15x (idle floor 0.040 ms = 0.050x the C floor; "
                        + "exporter / idle floor 3.00x)")
                .endsWith("| yes |");
    }

    @Test
    void withoutAnIdleFloorItsColumnsReadDash() {
        String md = Report.markdown(List.of(idle200(null)), null, List.of(), ENV);
        String cpu = section(md, "## CPU per namespace-round");
        List<String> header = cells(line(cpu, "| scenario |"));
        List<String> row = cells(line(cpu, "| idle-200 |"));
        assertThat(row.get(header.indexOf("idle floor / ns-round"))).isEqualTo("-");
        assertThat(row.get(header.indexOf("exporter / idle floor"))).isEqualTo("-");
        assertThat(line(section(md, "## Targets"), "200 idle ns")).doesNotContain("idle floor");
    }

    private static String section(String md, String title) {
        int start = md.indexOf(title);
        assertThat(start).as(title).isNotNegative();
        int end = md.indexOf("\n## ", start + 1);
        return end < 0 ? md.substring(start) : md.substring(start, end);
    }

    private static String line(String text, String containing) {
        return text.lines()
                .filter(l -> l.contains(containing))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + text));
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        return List.of(inner.substring(1, inner.length() - 1).split("\\|")).stream()
                .map(String::strip)
                .toList();
    }
}
