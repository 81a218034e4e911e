package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.Exporter;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.testing.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Exporter.close() (what the SIGTERM hook runs) in this JVM, with --netns=all over namespaces this test made:
 * afterwards no namespace fd, netlink socket or listening socket it opened is left, and its threads are gone.
 */
class CloseReleasesEverythingIT {
    /** Unique per run: the exporter counts every namespace it matches, so another run's must not match. */
    private static final String PREFIX =
            "lq-close" + Long.toHexString(ProcessHandle.current().pid());

    @Test
    void closeLeavesNoFdOrThreadBehind() throws Exception {
        TestNetns.assumeRootWithIproute();
        List<TestNetns> namespaces = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                namespaces.add(TestNetns.create(PREFIX));
            }
            cycle(false); // the first start also creates JDK singletons that live on (one unix socket, seen here)
            cycle(true);
        } finally {
            for (TestNetns ns : namespaces) {
                ns.close();
            }
        }
    }

    /** Starts an exporter, waits until it sampled the 3 namespaces, closes it, asserts nothing of it is left. */
    private static void cycle(boolean assertClean) throws Exception {
        Set<String> fdsBefore = fdTargets();
        Set<String> threadsBefore = threadNames();
        int port = ExporterProcess.freePort();
        Flags.Run run = (Flags.Run) Flags.parse(
                "--web.listen-address=127.0.0.1:" + port,
                "--netns=all",
                "--netns.include=" + PREFIX + "-.*",
                "--sample.interval=50ms");
        Exporter exporter = Exporter.start(run.config());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sampled(port) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sampled(port)).isEqualTo(3);
        Set<String> opened = new TreeSet<>(fdTargets());
        opened.removeAll(fdsBefore);
        assertThat(opened)
                .as("sockets opened while running (HTTP, netlink per namespace)")
                .filteredOn(t -> t.startsWith("socket:"))
                .hasSizeGreaterThanOrEqualTo(4);
        long t0 = System.nanoTime();
        exporter.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        if (!assertClean) {
            return;
        }
        Set<String> leaked = new TreeSet<>(fdTargets());
        leaked.removeAll(fdsBefore);
        leaked.removeIf(t -> t.startsWith("/") && !t.startsWith("/run/netns") && !t.startsWith("/proc")); // jars
        assertThat(leaked)
                .as("fds opened by the exporter and still open after close(): %s", describe(leaked))
                .isEmpty();
        Set<String> threads = threadNames();
        threads.removeAll(threadsBefore);
        assertThat(threads)
                .as("exporter threads left")
                .noneMatch(n -> n.startsWith("listenq") || n.startsWith("JettyServerThreadPool") || n.contains("qtp"));
    }

    /** Which table (netlink, tcp, unix...) of this namespace each socket inode is in. */
    private static List<String> describe(Set<String> targets) throws IOException {
        List<String> out = new ArrayList<>();
        for (String t : targets) {
            String ino = t.replaceAll("\\D", "");
            String where = "?";
            for (String table : new String[] {"netlink", "tcp", "tcp6", "udp", "udp6", "unix", "raw"}) {
                String text = io.listenq.collectors.procfs.ProcFile.read(Path.of("/proc/self/net/" + table));
                if (!ino.isEmpty()
                        && text.lines()
                                .anyMatch(l -> List.of(l.trim().split("\\s+")).contains(ino))) {
                    where = table + ": "
                            + text.lines()
                                    .filter(l -> List.of(l.trim().split("\\s+")).contains(ino))
                                    .findFirst()
                                    .orElse("");
                }
            }
            out.add(t + " in " + where);
        }
        return out;
    }

    private static long sampled(int port) {
        try {
            return (long) io.listenq.exporter.testing.MetricsText.parse(
                            ExporterProcess.get(port, "/metrics", null).body())
                    .value("listenq_netns");
        } catch (IOException | AssertionError e) {
            return -1;
        }
    }

    /** Targets of this process' fds: "net:[ino]", "socket:[ino]", "anon_inode:[eventpoll]", paths... */
    private static Set<String> fdTargets() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // the fd Files.list itself used, already closed
                }
            }
        }
        return out;
    }

    private static Set<String> threadNames() {
        Set<String> out = new TreeSet<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).forEach(t -> out.add(t.getName()));
        return out;
    }
}
