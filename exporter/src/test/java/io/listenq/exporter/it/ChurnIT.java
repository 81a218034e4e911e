package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 30 s of namespaces (each with a listener) created and deleted, 50 alive at most, while the exporter samples
 * every 100 ms and is scraped: afterwards its fd count is back where it started, none of its fds refers to a
 * deleted namespace, the deleted namespaces left /metrics within one refresh, and nothing escaped.
 */
class ChurnIT {
    private static final Duration CHURN = Duration.ofSeconds(30);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final int MAX_ALIVE = 50;
    /**
     * This run's own prefix: another checkout's ChurnIT on the same machine makes lq-churn-* namespaces too, and an
     * exporter matching theirs would see them outlive this test's deletions.
     */
    private static final String PREFIX = "lq-churn-"
            + java.util.HexFormat.of().toHexDigits((short)
                    java.util.concurrent.ThreadLocalRandom.current().nextInt());

    private record Live(TestNetns ns, ServerSocketChannel listener, String inode) {}

    @Test
    void namespacesComeAndGoWithoutLeaks() throws Exception {
        TestNetns.assumeRootWithIproute();
        int port = ExporterProcess.freePort();
        Deque<Live> alive = new ArrayDeque<>();
        Set<String> deletedInodes = new HashSet<>();
        int created = 0;
        try (ExporterProcess exporter = ExporterProcess.start(
                List.of(),
                port,
                "--netns=all",
                "--sample.interval=100ms",
                "--netns.refresh-interval=" + REFRESH.toMillis() + "ms",
                "--netns.include=" + PREFIX + "-.*")) {
            exporter.awaitReady(Duration.ofSeconds(30));
            Thread.sleep(2 * REFRESH.toMillis());
            List<String> fdsAtStart = fdTargets(exporter.pid());

            long end = System.nanoTime() + CHURN.toNanos();
            long nextScrape = 0;
            int scrapes = 0;
            try {
                while (System.nanoTime() < end) {
                    if (alive.size() >= MAX_ALIVE || (created > MAX_ALIVE && created % 3 == 0)) {
                        Live gone = alive.removeFirst();
                        close(gone);
                        deletedInodes.add(gone.inode());
                    }
                    alive.addLast(open());
                    created++;
                    if (System.nanoTime() > nextScrape) {
                        MetricsText m = exporter.scrape();
                        assertThat(m.value("listenq_collector_success", "collector", "netns_discovery"))
                                .isEqualTo(1);
                        scrapes++;
                        nextScrape = System.nanoTime() + 200_000_000L;
                    }
                }
            } finally {
                while (!alive.isEmpty()) {
                    Live gone = alive.removeFirst();
                    close(gone);
                    deletedInodes.add(gone.inode());
                }
            }
            assertThat(created).as("namespaces created in %s", CHURN).isGreaterThan(2 * MAX_ALIVE);
            assertThat(scrapes).isPositive();

            // the next refresh drops every deleted namespace from /metrics; poll, since a loaded machine can delay
            // a round, but a namespace kept past a few refreshes is a bug
            long deleted = System.nanoTime();
            MetricsText after = exporter.scrape();
            while (!after.find("listenq_netns_info").isEmpty()
                    && System.nanoTime() - deleted < 3 * REFRESH.toNanos() + 2_000_000_000L) {
                Thread.sleep(100);
                after = exporter.scrape();
            }
            assertThat(after.find("listenq_netns_info")).isEmpty();
            assertThat(after.find("listenq_accept_queue_length")).isEmpty();
            assertThat(after.value("listenq_netns")).isZero();

            List<String> fdsAfter = fdTargets(exporter.pid());
            for (int i = 0; i < 20 && fdsAfter.size() != fdsAtStart.size(); i++) {
                Thread.sleep(250); // a scrape connection may still be closing
                fdsAfter = fdTargets(exporter.pid());
            }
            assertThat(fdsAfter)
                    .as("exporter fds after churn (before: %s)", fdsAtStart)
                    .hasSameSizeAs(fdsAtStart);
            List<String> pinned =
                    fdsAfter.stream().filter(t -> t.startsWith("net:[")).toList();
            assertThat(pinned)
                    .as("exporter fds on namespaces")
                    .noneMatch(t -> deletedInodes.contains(t.substring("net:[".length(), t.length() - 1)));
            assertThat(exporter.process().isAlive()).isTrue();
            String log = exporter.output();
            assertThat(log).doesNotContain("Exception in thread").doesNotContain("\tat ");
        }
    }

    private static Live open() throws Exception {
        TestNetns ns = TestNetns.create(PREFIX);
        try {
            String inode = ns.inode();
            ServerSocketChannel listener = ns.call(() -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), 8);
                return s;
            });
            return new Live(ns, listener, inode);
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    private static void close(Live live) throws IOException {
        live.listener().close();
        live.ns().close();
    }

    /**
     * What each of the exporter's fds refers to ("net:[inode]" for a namespace, "socket:[...]", files), without
     * directories: a discovery scan holds /proc or /run/netns open only while it lists them. The per-namespace
     * netstat/snmp files (/proc/.../net/netstat) are files and stay counted.
     */
    private static List<String> fdTargets(long pid) throws IOException {
        List<String> out = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (!Files.isDirectory(fd)) {
                        out.add(Files.readSymbolicLink(fd).toString());
                    }
                } catch (IOException e) {
                    // closed between listing and readlink
                }
            }
        }
        return out;
    }
}
