package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Discovery against this machine's /proc and /run/netns, in namespaces the test creates and deletes. */
class NetnsDiscoveryRealTest {

    private static final Path PROC = Path.of("/proc");
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out.strip();
    }

    private static void requireRoot() throws IOException {
        String uid = Files.readAllLines(PROC.resolve("self/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .orElse("Uid: -1")
                .split("\\s+")[1];
        if (!uid.equals("0")) {
            Assumptions.abort("needs root to create network namespaces with ip netns (uid " + uid + ")");
        }
    }

    @Test
    void findsNamespacesCreatedWithIpNetnsOnceEach() throws Exception {
        requireRoot();
        String base = "lq-disc-" + ThreadLocalRandom.current().nextInt(1_000_000);
        String a = base + "-a";
        String b = base + "-b";
        Path stale = RUN_NETNS.resolve(base + "-stale");
        List<String> created = new ArrayList<>();
        Process sleeper = null;
        try {
            run("ip", "netns", "add", a);
            created.add(a);
            run("ip", "netns", "add", b);
            created.add(b);
            // A process inside a: the namespace is then reachable both by pid and by name.
            sleeper = new ProcessBuilder("ip", "netns", "exec", a, "sleep", "60").start();
            long sleeperPid = sleeper.pid();
            Path comm = PROC.resolve(sleeperPid + "/comm");
            for (int i = 0;
                    i < 250
                            && !(run("ip", "netns", "identify", Long.toString(sleeperPid))
                                            .equals(a)
                                    && Files.readString(comm).strip().equals("sleep"));
                    i++) {
                Thread.sleep(20); // ip execs sleep after setns; wait until it is in and has exec'd
            }
            assertThat(run("ip", "netns", "identify", Long.toString(sleeperPid)))
                    .isEqualTo(a);
            Files.writeString(stale, ""); // an unmounted leftover, as a failed "ip netns add" leaves
            long inodeA = Long.parseLong(
                    run("stat", "-L", "-c", "%i", RUN_NETNS.resolve(a).toString()));
            long inodeB = Long.parseLong(
                    run("stat", "-L", "-c", "%i", RUN_NETNS.resolve(b).toString()));

            NetnsScan scan = NetnsDiscovery.withDefaultBindDirs(PROC).scan();

            List<DiscoveredNetns> withA = scan.namespaces().stream()
                    .filter(n -> n.names().contains(a))
                    .toList();
            assertThat(withA).singleElement().satisfies(n -> {
                assertThat(n.id().inode()).isEqualTo(inodeA);
                assertThat(n.lowestPid()).hasValue((int) sleeperPid);
                assertThat(n.comm()).isEqualTo("sleep");
                assertThat(n.openPath()).isEqualTo(RUN_NETNS.resolve(a));
                assertThat(n.init()).isFalse();
                assertThat(n.self()).isFalse();
            });
            assertThat(scan.namespaces().stream().filter(n -> n.id().inode() == inodeA))
                    .hasSize(1);
            DiscoveredNetns nsB = scan.namespaces().stream()
                    .filter(n -> n.id().inode() == inodeB)
                    .findFirst()
                    .orElseThrow();
            assertThat(nsB.names()).containsExactly(b);
            assertThat(nsB.lowestPid()).isEmpty();
            assertThat(scan.namespaces()).extracting(DiscoveredNetns::id).doesNotHaveDuplicates();
            assertThat(scan.errorCount(ScanError.NOT_A_NAMESPACE)).isGreaterThanOrEqualTo(1);

            long selfInode = Long.parseLong(run("stat", "-L", "-c", "%i", "/proc/self/ns/net"));
            assertThat(scan.self().orElseThrow().inode()).isEqualTo(selfInode); // stat runs in our namespace
            assertThat(scan.find(scan.self().orElseThrow()).orElseThrow().self())
                    .isTrue();
            // Kernel threads live in the initial namespace; here the test process does too.
            assertThat(scan.init().orElseThrow().name()).isEqualTo("host");

            reportCost();
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(stale);
            for (String ns : created) {
                run("ip", "netns", "del", ns);
            }
        }
    }

    /** Not an assertion: prints what a scan costs here, for the record. */
    private static void reportCost() throws IOException {
        NetnsDiscovery discovery = NetnsDiscovery.withDefaultBindDirs(PROC);
        for (int i = 0; i < 20; i++) {
            discovery.scan(); // warm up
        }
        long[] nanos = new long[50];
        NetnsScan last = null;
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            last = discovery.scan();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "NetnsDiscovery: %d processes, %d namespaces, errors %s: median %.2f ms, max %.2f ms%n",
                last.processesScanned(),
                last.namespaces().size(),
                last.errors(),
                nanos[nanos.length / 2] / 1e6,
                nanos[nanos.length - 1] / 1e6);
    }
}
