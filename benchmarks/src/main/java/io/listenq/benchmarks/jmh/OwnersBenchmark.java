package io.listenq.benchmarks.jmh;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.OwnerRounds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * The owners step of a round ({@link OwnerRounds}: {@code Owners.resolve} with its bookkeeping) over 1,000
 * namespaces x 10 TCP listeners, each namespace's listeners in a cgroup of their own (1,000 ids, directories of a
 * temporary tree standing in for the cgroup2 mount), where one namespace changes every round: the calls alternate
 * between two round lists sharing 999 namespace objects. {@code queue}: namespace 500 is in trouble (a new object
 * each round, its accept queue moving, the same ids); {@code owner}: its first listener alternates between its own
 * cgroup and namespace 501's (an id changes, every id stays in use, so nothing is walked or resolved again). The
 * fork runs C1 only, as the shipped jvm.options do. Prints the thread's CPU time per round each iteration.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class OwnersBenchmark {
    private static final int NAMESPACES = 1000;
    private static final int LISTENERS = 10;
    private static final int CHANGING = 500;

    @Param({"queue", "owner"})
    public String change;

    private Path root;
    private OwnerRounds rounds;
    private List<NamespaceSample> first;
    private List<NamespaceSample> second;
    private boolean flip;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private long cpuAtStart;
    private long invocations;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("lq-jmh-owners");
        long[] ids = new long[NAMESPACES];
        for (int n = 0; n < NAMESPACES; n++) {
            Path cgroup = Files.createDirectories(root.resolve("kubepods.slice/pod" + n + ".slice/app.scope"));
            ids[n] = (Long) Files.getAttribute(cgroup, "unix:ino");
        }
        first = new ArrayList<>(NAMESPACES);
        for (int n = 0; n < NAMESPACES; n++) {
            first.add(namespace(n, ids[n], ids[n], 0));
        }
        second = new ArrayList<>(first);
        second.set(
                CHANGING,
                change.equals("queue")
                        ? namespace(CHANGING, ids[CHANGING], ids[CHANGING], 3)
                        : namespace(CHANGING, ids[CHANGING + 1], ids[CHANGING], 0));
        rounds = new OwnerRounds(root);
        for (List<NamespaceSample> round : List.of(first, second)) {
            Map<Long, ListenerOwner> owned = rounds.round(round);
            if (owned.size() != NAMESPACES) {
                throw new IllegalStateException("resolved " + owned.size() + " of " + NAMESPACES + " cgroup ids");
            }
        }
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        invocations = 0;
        cpuAtStart = cpu.getCurrentThreadCpuTime();
    }

    @Benchmark
    public Map<Long, ListenerOwner> round() {
        invocations++;
        return rounds.round((flip = !flip) ? first : second);
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        long nanos = cpu.getCurrentThreadCpuTime() - cpuAtStart;
        System.out.printf(" [thread CPU %.1f us per round]", nanos / 1e3 / invocations);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Namespace {@code n}: its first listener in cgroup {@code firstId}, the others in {@code restId}. */
    private static NamespaceSample namespace(int n, long firstId, long restId, long queue) {
        String netns = Long.toString(4026532000L + n);
        List<ListenerSample> listeners = new ArrayList<>(LISTENERS);
        for (int i = 0; i < LISTENERS; i++) {
            ListenerKey key = new ListenerKey(netns, "ipv4", "127.0.0.1", Integer.toString(20000 + i));
            long q = i == 7 ? queue : 0;
            listeners.add(new ListenerSample(
                    key,
                    q,
                    4096,
                    false,
                    OptionalLong.of(0),
                    OptionalLong.of(0),
                    1,
                    q,
                    0,
                    OptionalLong.of(i == 0 ? firstId : restId),
                    OptionalDouble.of(0)));
        }
        return new NamespaceSample(
                netns, new NetnsIdentity("lq-b-" + n, "", "", "", ""), Map.of(), Map.of(), listeners);
    }
}
