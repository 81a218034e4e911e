package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.ExporterProcess;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's own limits: concurrent scrapes, idle connections, its accept queue; and scrapes under churn. */
class WebServerLimitsTest {
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(PrometheusRegistry registry, int maxScrapes, Duration idle) {
        server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", maxScrapes)
                                .withIdleTimeout(idle),
                        WebSecurity.none(),
                        registry)
                .build()
                .start();
        return server.port();
    }

    @Test
    void scrapesBeyondTheBoundGet503AtOnceAndTheOthersFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return MetricSnapshots.builder().build();
            }
        });
        int port = start(registry, 2, WebServer.Settings.DEFAULT_IDLE_TIMEOUT);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<ExporterProcess.Response>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(pool.submit(() -> ExporterProcess.get(port, "/metrics", null)));
            }
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            ExporterProcess.Response third = ExporterProcess.get(port, "/metrics", null);
            assertThat(third.code()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(ExporterProcess.get(port, "/-/healthy", null).code()).isEqualTo(200); // not counted
            release.countDown();
            for (Future<ExporterProcess.Response> f : held) {
                assertThat(f.get(10, TimeUnit.SECONDS).code()).isEqualTo(200);
            }
        }
        assertThat(ExporterProcess.get(port, "/metrics", null).code()).isEqualTo(200); // permits came back
    }

    /**
     * The permit covers sending the body, not just encoding it: a client that stops reading a large answer keeps
     * its permit, so a second scrape beyond a bound of 1 gets 503 until the first has been read to the end.
     */
    @Test
    void thePermitIsHeldUntilTheBodyIsWritten() throws Exception {
        // ~16 MB of exposition: more than the loopback socket buffers can absorb, so the writer must block
        String big = "x".repeat(8_000);
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("big");
        for (int i = 0; i < 2_000; i++) {
            gauge.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("i", Integer.toString(i), "v", big))
                    .value(i)
                    .build());
        }
        MetricSnapshots snapshots = MetricSnapshots.of(gauge.build());
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                return snapshots;
            }
        });
        Object generation = new Object();
        server = WebServer.builder(WebServer.Settings.of("127.0.0.1", 0, "/metrics", 1), WebSecurity.none(), registry)
                .generation(() -> generation)
                .build()
                .start();
        int port = server.port();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            slow.setSoTimeout(10_000);
            slow.getOutputStream()
                    .write(("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            byte[] head = in.readNBytes(64); // the answer has started: its scrape holds the permit
            assertThat(new String(head, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            Thread.sleep(200); // let the writer fill the buffers and block
            assertThat(ExporterProcess.get(port, "/metrics", null).code()).isEqualTo(503);
            long rest = in.transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(rest).isGreaterThan(16_000_000L);
        }
        assertThat(ExporterProcess.get(port, "/metrics", null).code()).isEqualTo(200); // the permit came back
    }

    /**
     * 50 parallel scrapes while snapshots are swapped as fast as a thread can (a sampler at full speed): every
     * answer is 200 or the designed 503, and none hangs.
     */
    @Test
    void fiftyParallelScrapesDuringSampling() throws Exception {
        AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(0, 1));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        int port = start(registry, 10, WebServer.Settings.DEFAULT_IDLE_TIMEOUT);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            for (long i = 1; sampling.get(); i++) {
                current.set(snapshot(i, 20));
            }
        });
        List<Integer> codes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ExporterProcess.Response>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return ExporterProcess.get(port, "/metrics", null);
                }));
            }
            go.countDown();
            for (Future<ExporterProcess.Response> f : all) {
                ExporterProcess.Response r = f.get(15, TimeUnit.SECONDS);
                codes.add(r.code());
                if (r.code() == 200) {
                    assertThat(r.body()).contains("listenq_listen_overflows_total{netns=\"4026531840\"}");
                }
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(codes).hasSize(50).allMatch(c -> c == 200 || c == 503).contains(200);
    }

    /** A namespace recreated (or a counter wrapped) serves what the kernel says: no clamping, no error. */
    @Test
    void countersGoingBackwardsAreServedAsTheKernelGivesThem() throws Exception {
        AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(1_000_000, 1));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        int port = start(registry, 10, WebServer.Settings.DEFAULT_IDLE_TIMEOUT);
        assertThat(ExporterProcess.get(port, "/metrics", null).body())
                .contains("listenq_listen_overflows_total{netns=\"4026531840\"} 1000000.0");
        current.set(snapshot(3, 1));
        assertThat(ExporterProcess.get(port, "/metrics", null).body())
                .contains("listenq_listen_overflows_total{netns=\"4026531840\"} 3.0");
        current.set(snapshot(-1, 1)); // u64 max from the kernel: read as unsigned, not negative
        assertThat(ExporterProcess.get(port, "/metrics", null).body())
                .contains("listenq_listen_overflows_total{netns=\"4026531840\"} 1.8446744073709552E19");
    }

    @Test
    void aStalledClientIsDisconnectedAfterTheIdleTimeout() throws Exception {
        int port = start(new PrometheusRegistry(), 10, Duration.ofMillis(300));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // Jetty may answer 408 before closing; either way the stream must end
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        }
    }

    @Test
    void theExportersOwnAcceptQueueIsSized() throws Exception {
        int port = start(new PrometheusRegistry(), 10, WebServer.Settings.DEFAULT_IDLE_TIMEOUT);
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port)
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ss.waitFor(10, TimeUnit.SECONDS);
        // ProcFile: one large read (Files.readString can return a short read of a /proc file)
        long somaxconn = Long.parseLong(
                io.listenq.collectors.procfs.ProcFile.read(java.nio.file.Path.of("/proc/sys/net/core/somaxconn"))
                        .strip());
        // ss -l: Send-Q is the backlog (sk_max_ack_backlog), the third column
        assertThat(Long.parseLong(out.split("\\s+")[2]))
                .as("ss: %s, somaxconn %d", out, somaxconn)
                .isEqualTo(Math.min(WebServer.Settings.DEFAULT_ACCEPT_QUEUE, somaxconn));
    }

    private static Snapshot snapshot(long overflows, int namespaces) {
        List<NamespaceSample> ns = new ArrayList<>();
        for (int i = 0; i < namespaces; i++) {
            ns.add(new NamespaceSample(
                    Long.toString(4026531840L + i),
                    NetnsIdentity.UNKNOWN,
                    Map.of(NetnsCounter.LISTEN_OVERFLOWS, overflows),
                    Map.of(),
                    List.of()));
        }
        return new Snapshot(System.currentTimeMillis(), 0.001, ns, List.of(), Map.of(), 0);
    }
}
