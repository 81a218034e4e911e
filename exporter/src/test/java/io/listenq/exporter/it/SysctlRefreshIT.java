package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing counts sysctl changes, so the sampler re-reads each namespace's sysctls once per refresh interval: a
 * changed tcp_syncookies or somaxconn shows within one refresh interval (plus a round), not six.
 */
class SysctlRefreshIT {
    /** This run's own namespace names: the exporter selects them by prefix. */
    private static final String PREFIX = TestNetns.runPrefix("lq-sysctl");

    private static final long REFRESH_MS = 1_000;

    @Test
    void aChangedSysctlShowsWithinOneRefreshInterval() throws Exception {
        TestNetns.assumeRootWithIproute();
        try (TestNetns ns = TestNetns.create(PREFIX)) {
            String netns = Files.getAttribute(Path.of("/run/netns", ns.name()), "unix:ino")
                    .toString();
            try (ExporterProcess exporter = ExporterProcess.start(
                    List.of(),
                    ExporterProcess.freePort(),
                    "--netns=all",
                    "--netns.include=" + PREFIX + "-.*",
                    "--sample.interval=100ms",
                    "--netns.refresh-interval=" + REFRESH_MS + "ms")) {
                exporter.awaitReady(Duration.ofSeconds(30));
                // the first round (the one /-/ready waits for) leaves the sysctls to the second, one interval on
                long readyAt = System.nanoTime();
                while (exporter.scrape()
                                .single("listenq_somaxconn", "netns", netns)
                                .isEmpty()
                        && System.nanoTime() - readyAt < 10e9) {
                    Thread.sleep(20);
                }
                assertThat(exporter.scrape().single("listenq_somaxconn", "netns", netns))
                        .as("the sysctls, a round after ready")
                        .isPresent();
                assertThat((System.nanoTime() - readyAt) / 1e6)
                        .as("ms from ready until the sysctls showed")
                        .isLessThan(1_200);
                for (String[] change : new String[][] {
                    {"net.ipv4.tcp_syncookies", "0", "listenq_tcp_syncookies"},
                    {"net.core.somaxconn", "77", "listenq_somaxconn"},
                    {"net.ipv4.tcp_syncookies", "2", "listenq_tcp_syncookies"}
                }) {
                    ns.sysctl(change[0], change[1]);
                    long start = System.nanoTime();
                    MetricsText m;
                    do {
                        Thread.sleep(50);
                        m = exporter.scrape();
                    } while (m.single(change[2], "netns", netns)
                                            .map(MetricsText.Sample::value)
                                            .orElse(Double.NaN)
                                    != Double.parseDouble(change[1])
                            && System.nanoTime() - start < 10e9);
                    double seenAfterMs = (System.nanoTime() - start) / 1e6;
                    assertThat(m.value(change[2], "netns", netns))
                            .as(change[0])
                            .isEqualTo(Double.parseDouble(change[1]));
                    // one refresh interval and a round, with slack for a loaded machine; six intervals before
                    assertThat(seenAfterMs).as("ms until %s showed", change[0]).isLessThan(REFRESH_MS + 1_200);
                }
            }
        }
    }
}
