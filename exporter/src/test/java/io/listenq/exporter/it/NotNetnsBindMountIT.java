package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A uts namespace bind-mounted among the network namespaces (here a private directory given as --path.netns, so no
 * other test's /run/netns sees it) is skipped: counted once as {@code not_a_namespace}, never entered (no
 * {@code setns_errno_22} every round), and no fd of it kept.
 */
class NotNetnsBindMountIT {
    @Test
    void utsBindMountIsCountedOnceAndNotKept() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path dir = Files.createTempDirectory("lq-notnet");
        Path empty = Files.createTempDirectory("lq-notnet-docker");
        Path uts = dir.resolve("lq-uts-a");
        Files.createFile(uts);
        try {
            run("unshare", "--uts=" + uts, "true");
            long inode = ((Number) Files.getAttribute(uts, "unix:ino")).longValue();
            int port = ExporterProcess.freePort();
            try (ExporterProcess p = ExporterProcess.start(
                    List.of(),
                    port,
                    "--netns=all",
                    "--path.netns=" + dir,
                    "--path.docker-netns=" + empty,
                    "--netns.include=lq-uts-a|host",
                    "--sample.interval=100ms",
                    "--netns.refresh-interval=100ms")) {
                p.awaitReady(Duration.ofSeconds(30));
                Thread.sleep(1_500); // about 15 refreshes
                MetricsText m = p.scrape();
                assertThat(m.value("listenq_netns_errors_total", "reason", "not_a_namespace"))
                        .isEqualTo(1);
                assertThat(m.find("listenq_netns_errors_total"))
                        .as("never entered")
                        .noneMatch(s -> s.label("reason").startsWith("setns"));
                assertThat(m.value("listenq_netns"))
                        .as("the host namespace only")
                        .isEqualTo(1);
                try (Stream<Path> fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
                    assertThat(fds.map(NotNetnsBindMountIT::target)).doesNotContain("uts:[" + inode + "]");
                }
                assertThat(p.output()).containsOnlyOnce("is a uts namespace, not a network namespace");
            }
        } finally {
            run("umount", uts.toString());
            Files.deleteIfExists(uts);
            Files.deleteIfExists(dir);
            Files.deleteIfExists(empty);
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed since the listing
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
