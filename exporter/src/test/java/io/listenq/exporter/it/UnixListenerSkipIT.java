package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A namespace with no unix socket is not dumped for unix listeners (sockstat's {@code sockets: used} is its IP
 * sockets plus the exporter's sock_diag socket); the unix socket that a new listener needs changes that count, so
 * the listener shows at the next rounds, with the queue {@code ss} shows, long before any full turn (the refresh
 * interval here is an hour: the first full turn would come after six).
 */
class UnixListenerSkipIT {
    private static final String PREFIX = TestNetns.runPrefix("lq-unixskip");

    @Test
    void aUnixListenerInANamespaceThatHadNoUnixSocketShowsAtOnce() throws Exception {
        TestNetns.assumeRootWithIproute();
        // the JDK's own sockets (made the first time channels are used) belong here, not in the test's namespace
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).close();
        ServerSocketChannel.open(StandardProtocolFamily.INET).close();
        Path dir = Files.createTempDirectory("lq-unixskip");
        Path path = dir.resolve("svc.sock");
        List<AutoCloseable> open = new ArrayList<>();
        try (TestNetns ns = TestNetns.create(PREFIX)) {
            String netns = ns.inode();
            open.add(ns.call(() -> {
                ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
                tcp.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7100), 8);
                return tcp;
            }));
            try (ExporterProcess exporter = ExporterProcess.start(
                    List.of(),
                    ExporterProcess.freePort(),
                    "--netns=all",
                    "--netns.include=" + PREFIX + "-.*",
                    "--sample.interval=100ms",
                    "--netns.refresh-interval=1h")) {
                exporter.awaitReady(Duration.ofSeconds(30));
                Thread.sleep(500); // idle rounds: only the TCP listener, no unix socket
                MetricsText idle = exporter.scrape();
                assertThat(unix(idle, netns, path)).isEmpty();
                assertThat(idle.value("listenq_collector_duration_seconds", "collector", "unix_listeners"))
                        .as("the last round dumped no unix listener (its only namespace holds no unix socket)")
                        .isZero();

                ServerSocketChannel listener = ns.call(() -> {
                    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    s.bind(UnixDomainSocketAddress.of(path), 4);
                    return s;
                });
                open.add(listener);
                for (int i = 0; i < 2; i++) { // queued, never accepted
                    open.add(SocketChannel.open(UnixDomainSocketAddress.of(path)));
                }
                long start = System.nanoTime();
                Optional<MetricsText.Sample> seen;
                do {
                    Thread.sleep(50);
                    seen = unix(exporter.scrape(), netns, path);
                } while ((seen.isEmpty() || seen.get().value() != 2) && System.nanoTime() - start < 10e9);
                double ms = (System.nanoTime() - start) / 1e6;
                assertThat(seen)
                        .as("the unix listener's accept queue")
                        .hasValueSatisfying(s -> assertThat(s.value()).isEqualTo(2));
                String ss = ns.exec("ss", "-Hxl");
                assertThat(ss)
                        .as("ss in the namespace")
                        .containsPattern(
                                "(?m)^u_str\\s+LISTEN\\s+2\\s+4\\s+" + java.util.regex.Pattern.quote(path.toString()));
                // rounds every 100 ms: a few rounds, with slack for a loaded machine; a full turn is 6 hours away
                assertThat(ms).as("ms until the listener showed").isLessThan(3_000);
            } finally {
                for (AutoCloseable c : open.reversed()) {
                    c.close();
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    private static Optional<MetricsText.Sample> unix(MetricsText m, String netns, Path path) {
        return m.single("listenq_accept_queue_length", "netns", netns, "family", "unix", "address", path.toString());
    }
}
