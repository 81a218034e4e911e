package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.Tools;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.Sampler;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.ExporterProcess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sampler stuck in a round: its procfs root is a copy of captured files in which
 * {@code sys/net/core/somaxconn} is a FIFO. The first round gets past it (one writer; what it reads there does not
 * matter); a later round that re-reads the sysctls blocks in open(2) until a writer comes, so the sampler makes no
 * progress at all. Scrapes must still get the last snapshot at once.
 */
class SlowSamplerTest {
    @TempDir
    Path proc;

    @Test
    void aSlowSamplerDoesNotSlowScrapes() throws Exception {
        Path fifo = fakeProcfs();
        Thread first = Thread.ofPlatform().daemon().start(() -> feed(fifo)); // the first round's somaxconn
        Flags.Run run = (Flags.Run) Flags.parse(
                "--netns=self", "--path.procfs=" + proc, "--sample.interval=50ms", "--netns.refresh-interval=100ms");
        Sampler sampler = Sampler.create(run.config());
        AtomicBoolean done = new AtomicBoolean();
        WebServer server = null;
        try {
            sampler.start();
            Snapshot last = awaitStuck(sampler);
            first.join(1_000);
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new ListenqCollector(sampler::current, "test"));
            server = WebServer.builder(
                            WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10), WebSecurity.none(), registry)
                    .generation(sampler::current)
                    .build()
                    .start();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertThat(ExporterProcess.get(server.port(), "/metrics", null).body())
                        .contains("listenq_tcp_max_syn_backlog{netns=")
                        .contains("listenq_last_sample_timestamp_seconds " + last.timestampMillis() / 1000.0);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            }
            assertThat(sampler.current()).as("the sampler is still stuck").isSameAs(last);
        } finally {
            // release the blocked open(2) (and any later one) so that the sampler can stop
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                while (!done.get()) {
                    feed(fifo);
                }
            });
            try {
                sampler.close();
            } finally {
                done.set(true);
                // O_RDWR never blocks on a FIFO (fifo(7)), and as a reader it releases a feeder still waiting in
                // its open for writing; a read-only open here could wait forever if the feeder had already left.
                new RandomAccessFile(fifo.toFile(), "rw").close();
                feeder.join(5_000);
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** The round that reads the FIFO without a writer never ends: the snapshot stops changing. */
    private static Snapshot awaitStuck(Sampler sampler) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Snapshot last = sampler.current();
        long sameSince = System.nanoTime();
        while (last == null
                || System.nanoTime() - sameSince < Duration.ofSeconds(1).toNanos()) {
            assertThat(System.nanoTime())
                    .as("the sampler never got stuck in the FIFO")
                    .isLessThan(deadline);
            Thread.sleep(50);
            Snapshot now = sampler.current();
            if (now != last) {
                last = now;
                sameSince = System.nanoTime();
            }
        }
        return last; // unchanged for a second, twenty sample intervals
    }

    private Path fakeProcfs() throws Exception {
        Path net = proc.resolve("thread-self/net");
        for (String f : new String[] {"netstat", "snmp", "sockstat", "sockstat6"}) {
            Captures.copy("procfs/" + f, net.resolve(f));
        }
        Files.createSymbolicLink(proc.resolve("thread-self/ns"), Path.of("/proc/thread-self/ns"));
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/comm"), "java\n");
        Files.writeString(proc.resolve("self/cgroup"), "0::/\n");
        Path ipv4 = Files.createDirectories(proc.resolve("sys/net/ipv4"));
        Files.writeString(ipv4.resolve("tcp_max_syn_backlog"), "512\n");
        Files.writeString(ipv4.resolve("tcp_syncookies"), "1\n");
        Files.writeString(ipv4.resolve("tcp_abort_on_overflow"), "0\n");
        Path fifo = Files.createDirectories(proc.resolve("sys/net/core")).resolve("somaxconn");
        Process mkfifo = new ProcessBuilder(Tools.require("mkfifo").toString(), fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        return fifo;
    }

    /** Opens the FIFO for writing (blocks until the sampler opens it to read), writes one value, closes it. */
    private static void feed(Path fifo) {
        try {
            Files.writeString(fifo, "4096\n", StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            // the reader went away in between: the next open waits for the next one
        }
    }
}
