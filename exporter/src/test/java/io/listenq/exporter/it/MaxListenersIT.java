package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * --max-listeners protects Prometheus from a namespace with thousands of listeners, and must not let whoever opens
 * them decide which real services vanish. 30 listeners on high ports (opened first, so they sort first by every
 * old order: ports as strings, IPv4 before IPv6), then {@code 127.0.0.1:9}, {@code [::1]:443} and one high-port
 * listener whose accept queue is not empty: with a cap of 10, those three are exported, the gauge says how many
 * were left out now (not a sum over rounds), and one log line says the cap bites.
 */
class MaxListenersIT {
    private static final int FLOOD = 30;
    private static final int CAP = 10;

    @Test
    void keepsTroubleAndPrivilegedPortsAndSaysHowManyAreLeftOut() throws Exception {
        TestNetns.assumeRootWithIproute();
        List<AutoCloseable> sockets = new ArrayList<>();
        try (TestNetns ns = TestNetns.create("lq-max")) {
            String netns = ns.inode();
            ns.call(() -> {
                for (int i = 0; i < FLOOD; i++) {
                    sockets.add(listen("127.0.0.1", 20000 + i));
                }
                sockets.add(listen("127.0.0.1", 9));
                sockets.add(listen("::1", 443));
                sockets.add(listen("127.0.0.1", 29999));
                // never accepted: the accept queue of 29999 holds one connection
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                c.connect(new InetSocketAddress("127.0.0.1", 29999));
                sockets.add(c);
                return null;
            });
            try (ExporterProcess p = ExporterProcess.start(
                    List.of("ip", "netns", "exec", ns.name()),
                    9469,
                    "--netns=self",
                    "--sample.interval=100ms",
                    "--max-listeners=" + CAP)) {
                ns.call(() -> {
                    p.awaitReady(Duration.ofSeconds(30));
                    return null;
                });
                MetricsText first = ns.call(p::scrape);
                Thread.sleep(500);
                MetricsText later = ns.call(p::scrape);
                // 33 of ours plus the exporter's own listener
                int present = FLOOD + 3 + 1;
                List<MetricsText.Sample> exported = later.find("listenq_accept_queue_backlog", "netns", netns);
                assertThat(exported).hasSize(CAP);
                Set<String> kept = exported.stream()
                        .map(s -> s.label("address") + ":" + s.label("port"))
                        .collect(Collectors.toSet());
                assertThat(kept).contains("127.0.0.1:9", "::1:443", "127.0.0.1:29999");
                assertThat(later.value("listenq_accept_queue_length", "port", "29999"))
                        .isEqualTo(1);
                // the sampler starts before the HTTP port opens, so the first scrape's round may predate the exporter's
                // own listener: one fewer left out then
                assertThat(first.value("listenq_listeners_dropped"))
                        .isIn((double) present - CAP - 1, (double) present - CAP);
                assertThat(later.value("listenq_listeners_dropped"))
                        .as("a gauge, not a sum over rounds")
                        .isEqualTo(present - CAP);
                // once, when the cap started biting (the first round may predate the exporter's own listener)
                assertThat(p.output())
                        .containsOnlyOnce("listener series left out")
                        .contains("--max-listeners=" + CAP + ": ");
            }
        } finally {
            for (AutoCloseable s : sockets) {
                s.close();
            }
        }
    }

    private static ServerSocketChannel listen(String host, int port) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open(
                host.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        s.bind(new InetSocketAddress(host, port), 8);
        return s;
    }
}
