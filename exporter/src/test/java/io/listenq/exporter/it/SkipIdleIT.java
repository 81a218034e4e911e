package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With idle skipping on and no refresh due for a minute, a namespace whose listener sat idle (its TCP dumps
 * skipped) and then fills is still seen within a couple of sampling intervals: the handshakes that fill an
 * accept queue move Tcp PassiveOpens, and the drops move TcpExt ListenDrops.
 */
class SkipIdleIT {
    /** This run's own namespace names: the exporter selects them by prefix. */
    private static final String PREFIX = TestNetns.runPrefix("lq-skip");

    private static final long INTERVAL_MS = 200;

    @Test
    void aQueueFillingInAnIdleNamespaceIsSeenWithinAnInterval() throws Exception {
        TestNetns.assumeRootWithIproute();
        try (TestNetns ns = TestNetns.create(PREFIX);
                OverflowClient clients = new OverflowClient()) {
            String netns = ns.inode();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);
            try (ServerSocketChannel listener = ns.call(() -> {
                        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
                        s.bind(address, 4);
                        return s;
                    });
                    ExporterProcess exporter = ExporterProcess.start(
                            List.of(),
                            ExporterProcess.freePort(),
                            "--netns=all",
                            "--netns.include=" + PREFIX + "-.*",
                            "--sample.interval=" + INTERVAL_MS + "ms",
                            "--netns.refresh-interval=60s")) {
                exporter.awaitReady(Duration.ofSeconds(30));
                String[] l = {"netns", netns, "family", "ipv4", "address", "127.0.0.1", "port", "8080"};
                Thread.sleep(5 * INTERVAL_MS);
                MetricsText idle = exporter.scrape();
                assertThat(idle.value("listenq_accept_queue_length", l)).isZero();
                assertThat(idle.value("listenq_collector_duration_seconds", "collector", "tcp_listeners"))
                        .as("idle rounds skip the TCP dump")
                        .isZero();

                ns.call(() -> {
                    clients.connect(address, 20);
                    return null;
                });
                long start = System.nanoTime();
                MetricsText full;
                do {
                    Thread.sleep(INTERVAL_MS / 4);
                    full = exporter.scrape();
                } while (full.value("listenq_accept_queue_length", l) < 5 && System.nanoTime() - start < 5e9);
                double seenAfterMs = (System.nanoTime() - start) / 1e6;
                assertThat(full.value("listenq_accept_queue_length", l)).isEqualTo(5);
                // far sooner than the 60 s refresh: the counters, read every round, triggered the dump (the bound
                // is loose on purpose, a loaded CI machine must not make it flaky)
                assertThat(seenAfterMs).as("ms until the full queue showed").isLessThan(2_000);
                Thread.sleep(1_500); // refused SYNs are retransmitted after 1 s
                MetricsText dropping = exporter.scrape();
                assertThat(dropping.value("listenq_listener_drops_total", l)).isPositive();
                assertThat(dropping.value("listenq_accept_queue_full_seconds_total", l))
                        .isPositive();
            }
        }
    }
}
