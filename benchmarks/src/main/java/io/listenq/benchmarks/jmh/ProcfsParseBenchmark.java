package io.listenq.benchmarks.jmh;

import io.listenq.collectors.procfs.CounterSelection;
import io.listenq.collectors.procfs.NetCounters;
import io.listenq.collectors.procfs.ProcfsFormatException;
import io.listenq.collectors.procfs.SelectedCounters;
import io.listenq.exporter.sample.NetnsCounter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-namespace, per-round procfs parsing: the general {@link NetCounters#parse} (a map of every column)
 * against the sampler's {@link CounterSelection#parse} fast path, on the real netstat and snmp captures
 * (collectors/src/test/resources/procfs: the host's, with 135 TcpExt columns, and a fresh namespace's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProcfsParseBenchmark {
    @Param({"netstat", "snmp", "netstat-fresh-netns", "snmp-fresh-netns"})
    public String fixture;

    private String text;
    /** The exporter's columns. */
    private final CounterSelection selection = new CounterSelection(
            Arrays.stream(NetnsCounter.values()).map(NetnsCounter::key).toList());

    @Setup
    public void load() {
        text = new String(Fixtures.bytes("procfs/" + fixture), StandardCharsets.US_ASCII);
    }

    @Benchmark
    public NetCounters netCountersParse() throws ProcfsFormatException {
        return NetCounters.parse(fixture, text);
    }

    @Benchmark
    public SelectedCounters counterSelectionParse() throws ProcfsFormatException {
        return selection.parse(fixture, text);
    }
}
