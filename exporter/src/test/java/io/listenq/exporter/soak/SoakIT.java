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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Soak: the exporter jar samples every 100 ms with --netns=all while namespaces with listeners come and go and a
 * client scrapes every 250 ms; heap (after a forced GC), RSS, threads and fds are read at the start (after a
 * warm-up) and every minute, and must be flat at the end. Not part of {@code mvn verify} (tag "soak"); run:
 * <pre>
 * mvn -B -pl collectors,exporter verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=SoakIT -Dlistenq.it.excludedGroups= -Dsoak.minutes=10
 * </pre>
 * The table goes to stdout and to {@code target/soak.tsv}.
 */
@Tag("soak")
class SoakIT {
    /** This run's own namespace names: the exporter selects them by prefix. */
    private static final String PREFIX = TestNetns.runPrefix("lq-soak");

    private static final int KEEP_NAMESPACES = 6;

    @Test
    void resourcesStayFlat() throws Exception {
        TestNetns.assumeRootWithIproute();
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 10));
        Deque<Churned> live = new ArrayDeque<>();
        List<String> rows = new ArrayList<>();
        rows.add("elapsed_s\theap_bytes\trss_kib\tthreads\tfds\tnamespaces_seen\tscrapes\tchurned");
        int port = ExporterProcess.freePort();
        try (ExporterProcess exporter = ExporterProcess.start(
                List.of(),
                port,
                "--netns=all",
                "--sample.interval=100ms",
                "--netns.refresh-interval=1s",
                "--netns.include=" + PREFIX + "-.*",
                "--log.level=warn")) {
            exporter.awaitReady(Duration.ofSeconds(30));
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long nextChurn = start;
            long nextRow = start + TimeUnit.SECONDS.toNanos(30); // first row after a warm-up
            int scrapes = 0;
            int churned = 0;
            long seen = 0;
            Resources first = null;
            Resources last = null;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextChurn) {
                    live.addLast(Churned.create(churned++));
                    if (live.size() > KEEP_NAMESPACES) {
                        live.removeFirst().close();
                    }
                    nextChurn += TimeUnit.SECONDS.toNanos(2);
                }
                MetricsText m = exporter.scrape();
                scrapes++;
                seen = Math.max(seen, (long) m.value("listenq_netns"));
                if (System.nanoTime() >= nextRow) {
                    last = Resources.read(exporter);
                    if (first == null) {
                        first = last;
                    }
                    long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    String row = elapsed + "\t" + last.heapBytes() + "\t" + last.rssKib() + "\t" + last.threads()
                            + "\t" + last.fds() + "\t" + (long) m.value("listenq_netns") + "\t" + scrapes + "\t"
                            + churned;
                    rows.add(row);
                    System.out.println("soak " + row);
                    nextRow += TimeUnit.SECONDS.toNanos(60);
                }
                Thread.sleep(250);
            }
            last = Resources.read(exporter);
            rows.add("end\t" + last.heapBytes() + "\t" + last.rssKib() + "\t" + last.threads() + "\t" + last.fds()
                    + "\t-\t" + scrapes + "\t" + churned);
            System.out.println("soak " + rows.getLast());
            Files.write(Path.of("target/soak.tsv"), rows);
            assertThat(first).isNotNull();
            assertThat(seen).as("namespaces sampled at some point").isGreaterThanOrEqualTo(KEEP_NAMESPACES);
            // Flat: fds and threads may wobble by what is in flight (a namespace being opened, a scrape's
            // connection), nothing more; heap after GC and RSS may grow by JIT/metaspace noise only.
            assertThat(last.fds()).isLessThanOrEqualTo(first.fds() + 8);
            assertThat(last.threads()).isLessThanOrEqualTo(first.threads() + 4);
            assertThat(last.heapBytes()).isLessThan(first.heapBytes() * 3 / 2 + (8 << 20));
            assertThat(last.rssKib()).isLessThan(first.rssKib() * 5 / 4 + 32 * 1024);
        } finally {
            for (Churned c : live) {
                c.close();
            }
        }
    }

    /** A namespace with two listeners, one of them with a connected client (a non-empty queue). */
    private record Churned(TestNetns ns, List<AutoCloseable> sockets) implements AutoCloseable {
        static Churned create(int n) throws Exception {
            TestNetns ns = TestNetns.create(PREFIX);
            List<AutoCloseable> sockets = new ArrayList<>();
            try {
                ns.call(() -> {
                    for (int p : new int[] {8000 + n % 100, 9000}) {
                        ServerSocketChannel s = ServerSocketChannel.open();
                        s.bind(new InetSocketAddress("127.0.0.1", p), 16);
                        sockets.add(s);
                    }
                    sockets.add(java.nio.channels.SocketChannel.open(new InetSocketAddress("127.0.0.1", 9000)));
                    return null;
                });
            } catch (Exception e) {
                closeAll(sockets);
                ns.close();
                throw e;
            }
            return new Churned(ns, sockets);
        }

        @Override
        public void close() throws IOException {
            closeAll(sockets);
            ns.close();
        }

        private static void closeAll(List<AutoCloseable> sockets) {
            for (AutoCloseable s : sockets) {
                try {
                    s.close();
                } catch (Exception e) {
                    // closing a test socket: nothing to do
                }
            }
        }
    }

    private record Resources(long heapBytes, long rssKib, int threads, int fds) {
        static Resources read(ExporterProcess exporter) throws Exception {
            // A full GC first, so the heap figure is live data, not garbage waiting for the next cycle.
            Process gc = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(exporter.pid()),
                            "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            gc.waitFor(30, TimeUnit.SECONDS);
            MetricsText m = exporter.scrape();
            long heap = (long) m.find("jvm_memory_used_bytes", "area", "heap").stream()
                    .mapToDouble(MetricsText.Sample::value)
                    .sum();
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + exporter.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.split("\\s+")[1]);
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.split("\\s+")[1]);
                }
            }
            return new Resources(heap, rss, threads, exporter.openFds());
        }
    }
}
