package io.listenq.benchmarks.jmh;

import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netns.NetnsSwitch;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.sample.NamespaceRounds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The sampler's rounds over {@code namespaces} idle network namespaces (root: it makes them with {@code ip netns
 * add} and deletes them after), each holding {@code listeners} TCP listeners and no traffic: one operation is one
 * namespace-round ({@link OperationsPerInvocation}), so {@code -prof gc}'s {@code gc.alloc.rate.norm} is the bytes
 * allocated per idle namespace-round. The rounds are {@link NamespaceRounds}': discovery, the skip policy, setns
 * where needed and the kernel sources, without the snapshot, peak tracking and owners. The default refresh
 * interval (10s) gives every namespace a sysctl turn every 10th round and a full dump every 60th, as the daemon
 * does at --sample.interval=1s; {@code 1h} leaves only the idle check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdleRoundBenchmark {
    /** Must match {@link OperationsPerInvocation}'s value on {@link #round()}: JMH needs a constant there. */
    private static final int NAMESPACES = 200;

    @Param({"5"})
    public int listeners;

    @Param({"10s", "1h"})
    public String refresh;

    private final String prefix = "lq-jmh-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final List<ServerSocketChannel> sockets = new ArrayList<>();
    private NamespaceRounds rounds;
    /** The thread's CPU time per namespace-round, printed per iteration: wall time is noisy on a shared machine. */
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    /** The thread's own allocation counter: exact, where -prof gc estimates from the heap's. */
    private final com.sun.management.ThreadMXBean alloc =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long allocAtStart;

    private long cpuAtStart;
    private long invocations;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < NAMESPACES; i++) {
            batch.append("netns add ").append(prefix).append('-').append(i).append('\n');
        }
        ip(batch.toString());
        // sockets stay in the namespace they were created in: open them on a thread that entered it
        ExecutorService helper =
                Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().unstarted(r));
        try {
            helper.submit(() -> {
                        try (NetnsSwitch netns = new NetnsSwitch(Path.of("/proc"))) {
                            for (int i = 0; i < NAMESPACES; i++) {
                                Path file = Path.of("/run/netns", prefix + "-" + i);
                                try (NetnsSwitch.Handle h = netns.open(file, NetnsId.of(file))) {
                                    netns.enter(h);
                                    for (int p = 0; p < listeners; p++) {
                                        // lo is down: a wildcard address binds where 127.0.0.1 would not
                                        sockets.add(ServerSocketChannel.open().bind(new InetSocketAddress(20000 + p)));
                                    }
                                } finally {
                                    netns.returnHome();
                                }
                            }
                        }
                        return null;
                    })
                    .get();
        } finally {
            helper.shutdown();
        }
        Flags.Parsed parsed = Flags.parse(
                "--netns=all", "--netns.include=" + prefix + "-[0-9]+", "--netns.refresh-interval=" + refresh);
        rounds = new NamespaceRounds(((Flags.Run) parsed).config());
        int found = rounds.round();
        if (found != NAMESPACES) {
            tearDown();
            throw new IllegalStateException(
                    "the first round sampled " + found + " of the " + NAMESPACES + " namespaces");
        }
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        invocations = 0;
        cpuAtStart = cpu.getCurrentThreadCpuTime();
        allocAtStart = alloc.getCurrentThreadAllocatedBytes();
    }

    @Benchmark
    @OperationsPerInvocation(NAMESPACES)
    public int round() {
        invocations++;
        return rounds.round();
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        long bytes = alloc.getCurrentThreadAllocatedBytes() - allocAtStart;
        long nanos = cpu.getCurrentThreadCpuTime() - cpuAtStart;
        System.out.printf(
                " [thread CPU %.2f us, allocated %.3f B per namespace-round]",
                nanos / 1e3 / (invocations * NAMESPACES), (double) bytes / (invocations * NAMESPACES));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (rounds != null) {
            rounds.close();
        }
        for (ServerSocketChannel s : sockets) {
            s.close();
        }
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < NAMESPACES; i++) {
            batch.append("netns del ").append(prefix).append('-').append(i).append('\n');
        }
        ip(batch.toString());
    }

    private static void ip(String batch) throws IOException {
        Process p = new ProcessBuilder("ip", "-force", "-batch", "-")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(batch.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ip -batch failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
