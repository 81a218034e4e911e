package io.listenq.collectors.testing;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netns.NetnsSwitch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace made for one test ({@code ip netns add lq-...-<random>}), deleted by {@link #close()},
 * and one dedicated platform thread that has {@code setns}'d into it, where {@link #call} runs tasks.
 * Sockets created on that thread belong to the namespace for good.
 */
public final class TestNetns implements AutoCloseable {
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private final String name;
    private final ExecutorService thread;
    private volatile Throwable enterFailure;

    private TestNetns(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform()
                .name("netns-" + name)
                .daemon()
                .unstarted(() -> {
                    try {
                        enter();
                    } catch (Throwable t) { // surfaced by every call(); the worker loop must still run to fail them
                        enterFailure = t;
                    }
                    task.run();
                }));
    }

    /** Aborts the calling test unless it runs as root with {@code ip} and {@code ss} available. */
    public static void assumeRootWithIproute() {
        if (!isRoot()) {
            Assumptions.abort("real-kernel test needs root (creates network namespaces, setns)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            Tools.unavailable("real-kernel test needs iproute2 (ip, ss)");
        }
        if (!Native.isAvailable()) {
            Tools.unavailable("FFM native access unavailable: " + Native.unavailabilityCause());
        }
    }

    /** Whether this process runs as uid 0 (real-kernel tests skip otherwise). */
    public static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A name prefix of this run's own, {@code base-<4 hex>}: a test whose exporter selects namespaces by prefix
     * ({@code --netns.include=<prefix>-.*}) then sees only the namespaces it made, not those of the same test
     * running in another build at the same time.
     */
    public static String runPrefix(String base) {
        return base + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    /** Creates {@code prefix-<8 hex>} with loopback up. */
    public static TestNetns create(String prefix) throws IOException {
        String name = prefix + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run(List.of("ip", "netns", "add", name));
        TestNetns ns = new TestNetns(name);
        try {
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs {@code ip netns exec NAME command...}; returns stdout, throws on a non-zero exit. */
    public String exec(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full);
    }

    public void sysctl(String key, String value) throws IOException {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /** Runs {@code task} on this namespace's thread and waits for it. */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(() -> {
                        if (enterFailure != null) {
                            throw new IllegalStateException("could not enter namespace " + name, enterFailure);
                        }
                        return task.call();
                    })
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void enter() throws IOException {
        Path path = RUN_NETNS.resolve(name);
        // through the exporter's own NetnsSwitch: setns lives in one class, tests included; the thread never
        // goes home, so the switch (and its home fd) can be closed once it is in
        try (NetnsSwitch netns = new NetnsSwitch(Path.of("/proc"));
                NetnsSwitch.Handle handle = netns.open(path, NetnsId.of(path))) {
            netns.enter(handle);
        }
        // Check: the thread's namespace is now the one bound at /run/netns/NAME.
        String link =
                Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        if (!link.equals("net:[" + inode() + "]")) {
            throw new NativeException("setns", 0, "thread is in " + link + ", wanted inode " + inode());
        }
    }

    /** The namespace's inode as the exporter's {@code netns} label shows it. */
    public String inode() throws IOException {
        return NetnsId.of(RUN_NETNS.resolve(name)).inodeText();
    }

    /** Stops the thread and deletes the namespace (sockets still open elsewhere keep it alive until closed). */
    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        if (Files.exists(RUN_NETNS.resolve(name))) { // something else may have removed it already
            run(List.of("ip", "netns", "del", name));
        }
    }

    static String run(List<String> command) throws IOException {
        // stderr goes to a file: ss -e prints "Failed to find cgroup2 mount" there on some hosts.
        Path err = Files.createTempFile("lq-netns", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out + Files.readString(err));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
