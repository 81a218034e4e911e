package io.listenq.benchmarks.jmh;

import io.listenq.exporter.sample.ListenerCap;
import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.helpers.NOPLogger;

/**
 * {@code --max-listeners} when it bites: {@link ListenerCap#select} over 1,000 namespaces x 10 TCP listeners
 * (127.0.0.1:20000-20009, as the scenarios' idle-1000) plus 3 more in the first namespace, at the default cap of
 * 10,000, so 3 series are left out every round. One listener is in trouble. The predicates are the sampler's shape:
 * a lookup of the series' history in a map of the 10,000 series exported the round before ({@code troubled} after
 * the accept-queue check, {@code incumbent} = has a history). {@code sameObjects}: the sampler hands back an
 * unchanged namespace as the same object (an idle round); {@code false} alternates between two equal copies, so every
 * namespace looks new on every call. The fork runs C1 only, as the shipped jvm.options do. Prints the
 * thread's CPU time per select each iteration: wall time is noisy on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class ListenerCapBenchmark {
    private static final int NAMESPACES = 1000;
    private static final int LISTENERS = 10;
    private static final int EXTRA = 3;
    private static final int CAP = 10_000;

    @Param({"true", "false"})
    public boolean sameObjects;

    private List<NamespaceSample> first;
    private List<NamespaceSample> second;
    private boolean flip;
    private final Map<ListenerKey, Boolean> history = new HashMap<>();
    private final Predicate<ListenerSample> troubled =
            s -> s.acceptQueue() > 0 || history.getOrDefault(s.key(), Boolean.FALSE);
    private final Predicate<ListenerKey> incumbent = history::containsKey;
    private ListenerCap cap;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private long cpuAtStart;
    private long invocations;

    @Setup
    public void build() {
        first = namespaces();
        second = namespaces();
        cap = new ListenerCap(CAP, NOPLogger.NOP_LOGGER);
        // the round before exported what the cap keeps now: those are the incumbents
        for (List<ListenerSample> kept : cap.select(first, s -> s.acceptQueue() > 0, k -> false)) {
            kept.forEach(s -> history.put(s.key(), Boolean.FALSE));
        }
        if (history.size() != CAP || cap.dropped() != EXTRA) {
            throw new IllegalStateException("kept " + history.size() + ", dropped " + cap.dropped());
        }
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        invocations = 0;
        cpuAtStart = cpu.getCurrentThreadCpuTime();
    }

    @Benchmark
    public List<List<ListenerSample>> select() {
        invocations++;
        return cap.select(sameObjects || (flip = !flip) ? first : second, troubled, incumbent);
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        long nanos = cpu.getCurrentThreadCpuTime() - cpuAtStart;
        System.out.printf(" [thread CPU %.1f us per select]", nanos / 1e3 / invocations);
    }

    private static List<NamespaceSample> namespaces() {
        List<NamespaceSample> out = new ArrayList<>(NAMESPACES);
        for (int n = 0; n < NAMESPACES; n++) {
            String netns = Long.toString(4026532000L + n);
            List<ListenerSample> listeners = new ArrayList<>();
            for (int i = 0; i < LISTENERS + (n == 0 ? EXTRA : 0); i++) {
                ListenerKey key = new ListenerKey(netns, "ipv4", "127.0.0.1", Integer.toString(20000 + i));
                long queue = n == 500 && i == 7 ? 3 : 0;
                listeners.add(new ListenerSample(
                        key,
                        queue,
                        4096,
                        false,
                        OptionalLong.of(0),
                        OptionalLong.of(0),
                        1,
                        queue,
                        0,
                        OptionalLong.empty(),
                        OptionalDouble.of(0)));
            }
            listeners.sort((a, b) -> a.key().compareTo(b.key()));
            out.add(new NamespaceSample(
                    netns, new NetnsIdentity("lq-b-" + n, "", "", "", ""), Map.of(), Map.of(), listeners));
        }
        return out;
    }
}
