package io.listenq.exporter.http;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP, a large plain body scraped once a round is streamed (chunked, no Content-Length) once the cache knows its
 * size and rhythm, with the bytes client_java writes; gzip scrapes of it keep getting kept, compressed bytes.
 */
class WebServerStreamTest {
    private final AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(0));
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final WebServer server;

    WebServerStreamTest() {
        ListenqCollector collector = new ListenqCollector(current::get, "test");
        registry.register(collector);
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                if (failing.get()) {
                    throw new IllegalStateException("simulated encode failure");
                }
                return new MetricSnapshots();
            }
        });
        server = WebServer.builder(WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10), WebSecurity.none(), registry)
                .generation(current::get)
                .rows(collector::rows, ListenqCollector.rowFamilyNames())
                .observer(new ScrapeObserver() {
                    @Override
                    public void served(String format, boolean gzip, long nanos) {
                        served.incrementAndGet();
                    }

                    @Override
                    public void rejected() {}
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void aLargePlainBodyScrapedOnceARoundIsStreamedAsClientJavaWritesIt() throws Exception {
        boolean streamed = false;
        for (int round = 1; round <= 8; round++) {
            current.set(snapshot(round));
            server.encodeAhead();
            Thread.sleep(150);
            HttpResponse<byte[]> res = get(false);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(new String(res.body())).as("round %d", round).isEqualTo(reference());
            streamed |= res.headers().firstValue("Content-Length").isEmpty();
            Thread.sleep(150); // rounds ~0.3 s apart, one plain scrape each: at most twice a round
        }
        assertThat(streamed).as("a streamed answer has no Content-Length").isTrue();
        assertThat(served).hasValue(8);

        // an encode that fails before the first byte: a 500, not counted as served
        failing.set(true);
        current.set(snapshot(9));
        server.encodeAhead();
        Thread.sleep(300);
        HttpResponse<byte[]> failed = get(false);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(served).hasValue(8);
        failing.set(false);
        HttpResponse<byte[]> gz = get(true);
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gz.headers().firstValue("Content-Length")).isPresent();
        assertThat(served).hasValue(9);
    }

    private HttpResponse<byte[]> get(boolean gzip) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"));
        if (gzip) {
            r.header("Accept-Encoding", "gzip");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String reference() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString();
    }

    /** 500 namespaces x 10 listeners: ~3 MB of text, above EncodedSlot.SPARE_LIMIT. */
    private static Snapshot snapshot(int round) {
        List<NamespaceSample> namespaces = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            String netns = Long.toString(4026532000L + n);
            List<ListenerSample> listeners = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                listeners.add(listener(netns, "ipv6", "fd00::" + i, "" + (9000 + i))
                        .acceptQueue((n + round) % 4)
                        .backlog(511)
                        .build());
            }
            namespaces.add(
                    new NamespaceSample(netns, new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), listeners));
        }
        return Snapshots.snapshot(namespaces).timestampMillis(1_000L * round).build();
    }
}
