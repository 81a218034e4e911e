package io.listenq.exporter.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The flatness target, with the shipped JVM options (the launcher): 50 namespaces with a listener each, one
 * of them has its listener replaced (closed, and another opened on a new port: one series goes, another comes)
 * every 2 s, and /metrics is scraped every second. Between the baseline and the end RSS may grow by 10% at most,
 * open fds and threads not at all (give or take the scrape in flight). Two lengths:
 * <ul>
 * <li>in {@code mvn verify} (tag "soak-short"): 2 minutes, baseline after 1;</li>
 * <li>the full soak (tag "soak", excluded by default): {@code -Dsoak.minutes=8}, baseline after 2 minutes:
 * <pre>
 * mvn -B -pl collectors,exporter verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ListenerChurnSoakIT -Dlistenq.it.excludedGroups= -Dsoak.minutes=8
 * </pre></li>
 * </ul>
 * Rows (every 30 s) go to stdout and to {@code target/listener-churn-soak-<minutes>m.tsv}.
 */
class ListenerChurnSoakIT {
    /** This run's own namespace names: the exporter selects them by prefix. */
    private static final String PREFIX = TestNetns.runPrefix("lq-lsoak");

    private static final int NAMESPACES = 50;

    @Test
    @Tag("soak-short")
    void twoMinutesStayFlat() throws Exception {
        soak(Duration.ofMinutes(2), Duration.ofMinutes(1));
    }

    @Test
    @Tag("soak")
    void eightMinutesStayFlat() throws Exception {
        soak(Duration.ofMinutes(Long.getLong("soak.minutes", 8)), Duration.ofMinutes(2));
    }

    private static void soak(Duration length, Duration baselineAt) throws Exception {
        TestNetns.assumeRootWithIproute();
        List<Slot> slots = new ArrayList<>();
        List<String> rows = new ArrayList<>(List.of("elapsed_s\trss_kib\tthreads\tfds\tseries\treplaced"));
        try {
            for (int i = 0; i < NAMESPACES; i++) {
                slots.add(new Slot(TestNetns.create(PREFIX)));
                slots.getLast().replace(8000);
            }
            int port = ExporterProcess.freePort();
            try (ExporterProcess exporter = ExporterProcess.start(
                    List.of(), port, "--netns=all", "--netns.include=" + PREFIX + "-.*", "--log.level=warn")) {
                exporter.awaitReady(Duration.ofSeconds(60));
                long start = System.nanoTime();
                long nextReplace = start;
                long nextRow = start;
                long baselineNanos = start + baselineAt.toNanos();
                int replaced = 0;
                Resources baseline = null;
                Resources last = null;
                while (System.nanoTime() < start + length.toNanos()) {
                    if (System.nanoTime() >= nextReplace) {
                        slots.get(replaced % NAMESPACES).replace(8001 + (replaced / NAMESPACES) % 500);
                        replaced++;
                        nextReplace += TimeUnit.SECONDS.toNanos(2);
                    }
                    MetricsText m = exporter.scrape();
                    long series = m.find("listenq_accept_queue_length").size();
                    if (baseline == null && System.nanoTime() >= baselineNanos) {
                        baseline = Resources.read(exporter.pid());
                        rows.add(row(start, baseline, series, replaced) + "\tbaseline");
                    } else if (System.nanoTime() >= nextRow) {
                        rows.add(row(start, Resources.read(exporter.pid()), series, replaced));
                        nextRow += TimeUnit.SECONDS.toNanos(30);
                    }
                    Thread.sleep(1_000);
                }
                last = Resources.read(exporter.pid());
                rows.add(row(
                                start,
                                last,
                                exporter.scrape()
                                        .find("listenq_accept_queue_length")
                                        .size(),
                                replaced) + "\tend");
                rows.forEach(r -> System.out.println("listener-churn-soak " + r));
                Files.write(Path.of("target/listener-churn-soak-" + length.toMinutes() + "m.tsv"), rows);
                assertThat(baseline).isNotNull();
                assertThat(replaced).isGreaterThanOrEqualTo((int) (length.toSeconds() / 2) - 2);
                assertThat(last.rssKib())
                        .as("RSS (KiB) at the end against the baseline")
                        .isLessThanOrEqualTo(baseline.rssKib() * 11 / 10);
                // one scrape connection may be in flight or lingering either time
                assertThat(last.fds()).as("open fds").isBetween(baseline.fds() - 2, baseline.fds() + 2);
                assertThat(last.threads()).as("threads").isBetween(baseline.threads() - 2, baseline.threads() + 2);
            }
        } finally {
            for (Slot s : slots) {
                s.close();
            }
        }
    }

    private static String row(long start, Resources r, long series, int replaced) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + "\t" + r.rssKib() + "\t" + r.threads() + "\t"
                + r.fds() + "\t" + series + "\t" + replaced;
    }

    /** A namespace with one listener on 127.0.0.1, replaceable by one on another port. */
    private static final class Slot implements AutoCloseable {
        private final TestNetns ns;
        private ServerSocketChannel listener;

        Slot(TestNetns ns) {
            this.ns = ns;
        }

        void replace(int port) throws Exception {
            ServerSocketChannel old = listener;
            listener = ns.call(() -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress("127.0.0.1", port), 16);
                return s;
            });
            if (old != null) {
                old.close();
            }
        }

        @Override
        public void close() throws IOException {
            if (listener != null) {
                listener.close();
            }
            ns.close();
        }
    }

    private record Resources(long rssKib, int threads, int fds) {
        static Resources read(long pid) throws IOException {
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.split("\\s+")[1]);
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.split("\\s+")[1]);
                }
            }
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                return new Resources(rss, threads, (int) fds.count());
            }
        }
    }
}
