package io.listenq.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's readers of other programs' output: exposition text, wrk's report, order statistics. */
class ReadingBackTest {
    private static final String EXPOSITION = """
            # HELP listenq_collector_duration_seconds Time the collector took in the last round.
            # TYPE listenq_collector_duration_seconds gauge
            listenq_collector_duration_seconds{collector="netstat"} 0.25
            listenq_collector_duration_seconds{collector="tcp_listeners"} 0.5
            listenq_last_sample_timestamp_seconds 1.7641E9
            jvm_memory_used_bytes{area="heap"} 4194304.0
            jvm_memory_used_bytes{area="heap"} 1048576.0
            jvm_memory_used_bytes{area="nonheap"} 9.0E7
            jvm_memory_pool_used_bytes{pool="G1 Eden Space"} 4194304.0
            jvm_memory_pool_used_bytes{pool="G1 Old Gen"} 1048576.0
            jvm_memory_pool_allocated_bytes_total{pool="G1 Eden Space"} 1.0E8
            jvm_memory_pool_allocated_bytes_total{pool="G1 Old Gen"} 3.0E7
            """;

    @Test
    void sumsSamplesByNameAndLabelText() {
        MetricsText m = MetricsText.parse(EXPOSITION);
        assertThat(m.sum("listenq_collector_duration_seconds").getAsDouble()).isEqualTo(0.75);
        assertThat(m.sum("jvm_memory_used_bytes", "area=\"heap\"").getAsDouble())
                .isEqualTo(5_242_880.0);
        assertThat(m.sum("listenq_last_sample_timestamp_seconds").getAsDouble()).isEqualTo(1.7641e9);
        assertThat(m.sum("listenq_sample_round_duration_seconds")).isEmpty();
        assertThat(m.count("jvm_memory_used_bytes")).isEqualTo(3);
    }

    @Test
    void allocatedAddsCurrentEdenToTheGcDrivenCounter() {
        assertThat(CpuWindow.allocated(MetricsText.parse(EXPOSITION))).isEqualTo(1.0e8 + 4_194_304.0);
    }

    @Test
    void readsWrkLatencyDistribution() throws Exception {
        String wrk = """
                Running 10s test @ http://127.0.0.1:40000/metrics
                  2 threads and 10 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency   363.21ms  100.10ms   1.20s    70.00%
                    Req/Sec    13.50      5.00    30.00     60.00%
                  Latency Distribution
                     50%  363.00ms
                     75%  420.00ms
                     90%  500.00ms
                     99%    1.20s
                  263 requests in 10.01s, 1.74GB read
                  Non-2xx or 3xx responses: 3
                Requests/sec:     26.27
                Transfer/sec:    177.50MB
                """;
        LoadTest.Result r = LoadTest.parse(wrk, 10, Encoding.GZIP, 10);
        assertThat(r.p50()).isCloseTo(0.363, within(1e-9));
        assertThat(r.p99()).isCloseTo(1.2, within(1e-9));
        assertThat(r.requests()).isEqualTo(263);
        assertThat(r.non2xx()).isEqualTo(3);
        assertThat(r.requestsPerSecond()).isEqualTo(26.27);
        assertThat(r.encoding()).isEqualTo(Encoding.GZIP);
    }

    @Test
    void readsTheFloorsKeyValueLine() {
        var v = Floor.parse("mode=round namespaces=2 rounds=200 listeners_per_round=22 cpu_ms_per_ns_round=0.587710 "
                + "wall_ms_per_round=2.7044 checksum=2178237\n");
        assertThat(v).containsEntry("cpu_ms_per_ns_round", "0.587710").containsEntry("listeners_per_round", "22");
        assertThat(v).hasSize(7);
    }

    @Test
    void readsTheIdleFloorsLineIntoSeconds() {
        Floor.Round r = Floor.rounds(Floor.parse("mode=idle namespaces=200 rounds=50 listeners_per_round=3 "
                + "cpu_ms_per_ns_round=0.037546 wall_ms_per_round=9.5693 snmp_changes=0 checksum=102000\n"));
        assertThat(r).isEqualTo(new Floor.Round(200, 50, 0.037546e-3, 9.5693e-3, 3));
    }

    @Test
    void threadCpuComesFromStatAfterTheCommand() {
        // comm may hold spaces and parentheses: fields are counted after the last ')'
        String stat = "4242 (listenq (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 1 0 5 0 0";
        assertThat(ProcessStats.statCpuSeconds(stat)).isEqualTo(3.25);
    }

    @Test
    void nearestRankPercentiles() {
        List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
        assertThat(Stats.median(v)).isEqualTo(3.0);
        assertThat(Stats.percentile(v, 99)).isEqualTo(5.0);
        assertThat(Stats.percentile(v, 20)).isEqualTo(1.0);
        assertThat(Stats.median(List.of())).isNaN();
    }
}
