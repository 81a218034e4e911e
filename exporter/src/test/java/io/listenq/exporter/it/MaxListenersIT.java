package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --max-listeners protects Prometheus from a namespace with thousands of listeners: 30 listeners, a cap of 10,
 * exactly 10 series, and listenq_listeners_dropped_total counting the 20 left out in every round.
 */
class MaxListenersIT {
    private static final int LISTENERS = 30;
    private static final int CAP = 10;

    @Test
    void capsListenerSeriesAndCountsTheRest() throws Exception {
        TestNetns.assumeRootWithIproute();
        List<ServerSocketChannel> sockets = new ArrayList<>();
        try (TestNetns ns = TestNetns.create("lq-max")) {
            String netns = ns.inode();
            ns.call(() -> {
                for (int i = 0; i < LISTENERS; i++) {
                    ServerSocketChannel s = ServerSocketChannel.open();
                    s.bind(new InetSocketAddress("127.0.0.1", 20000 + i), 8);
                    sockets.add(s);
                }
                return null;
            });
            int port = 9469;
            try (ExporterProcess p = ExporterProcess.start(List.of("ip", "netns", "exec", ns.name()), port,
                    "--netns=self", "--sample.interval=100ms", "--max-listeners=" + CAP)) {
                ns.call(() -> {
                    p.awaitReady(Duration.ofSeconds(30));
                    return null;
                });
                MetricsText first = ns.call(p::scrape);
                Thread.sleep(500);
                MetricsText later = ns.call(p::scrape);
                // 30 of ours plus the exporter's own listener: 31 in the namespace, 10 exported.
                int present = LISTENERS + 1;
                assertThat(later.find("listenq_accept_queue_backlog", "netns", netns)).hasSize(CAP);
                assertThat(later.find("listenq_listener_sockets")).hasSize(CAP);
                double dropped1 = first.value("listenq_listeners_dropped_total");
                double dropped2 = later.value("listenq_listeners_dropped_total");
                assertThat(dropped1).isPositive();
                // ~5 rounds in 500 ms, each leaving out at least our 30 - 10 (the exporter's own port may add one)
                assertThat(dropped2 - dropped1).as("dropped %s then %s", dropped1, dropped2)
                        .isGreaterThanOrEqualTo(2.0 * (LISTENERS - CAP));
                assertThat((dropped2 - dropped1) % (LISTENERS - CAP) == 0
                        || (dropped2 - dropped1) % (present - CAP) == 0).as("whole rounds").isTrue();
            }
        } finally {
            for (ServerSocketChannel s : sockets) {
                s.close();
            }
        }
    }
}
