package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /metrics served from bytes encoded once per snapshot and kind (format, gzip or not), with our own gzip. */
class WebServerExpositionCacheTest {
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private final AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(1));
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        http.close();
    }

    private int start() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        server = WebServer.builder(WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10), WebSecurity.none(), registry)
                .generation(current::get)
                .build()
                .start();
        return server.port();
    }

    private HttpResponse<byte[]> get(int port, String accept, String acceptEncoding) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (accept != null) {
            r.header("Accept", accept);
        }
        if (acceptEncoding != null) {
            r.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void sameSnapshotSameBytesEncodedOncePerFormatAndNewSnapshotNewBytes() throws Exception {
        int port = start();
        byte[] text1 = get(port, null, null).body();
        byte[] text2 = get(port, null, null).body();
        byte[] om1 = get(port, OPENMETRICS, null).body();
        byte[] om2 = get(port, OPENMETRICS, null).body();
        assertThat(text2).isEqualTo(text1);
        assertThat(om2).isEqualTo(om1);
        assertThat(new String(om1, StandardCharsets.UTF_8)).endsWith("# EOF\n");
        assertThat(new String(text1, StandardCharsets.UTF_8))
                .doesNotContain("# EOF")
                .contains("listenq_listen_overflows_total{netns=\"4026531840\"} 1.0");

        current.set(snapshot(2));
        byte[] text3 = get(port, null, null).body();
        assertThat(text3).isNotEqualTo(text1);
        assertThat(new String(text3, StandardCharsets.UTF_8))
                .contains("listenq_listen_overflows_total{netns=\"4026531840\"} 2.0");
        assertThat(get(port, null, null).body()).isEqualTo(text3);
    }

    /**
     * The counter seen through the cache itself, working on demand (no sampler calls encodeAhead): 10 concurrent
     * callers of one new snapshot encode it at most once per kind (plain text, gzip text: once when the plain bytes
     * came first and the gzip compressed them) and compress it once.
     */
    @Test
    void concurrentScrapesOfANewSnapshotEncodeOnce() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        ExpositionCache cache = new ExpositionCache(registry, current::get);
        ExpositionFormats formats = ExpositionFormats.init();
        for (long round = 1; round <= 3; round++) {
            current.set(snapshot(round));
            long encoded = cache.encodings();
            long compressed = cache.compressions();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> all = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
                for (int i = 0; i < 10; i++) {
                    boolean gzip = i % 2 == 0;
                    all.add(pool.submit(() -> {
                        go.await();
                        return bytes(cache.body(formats.getPrometheusTextFormatWriter(), gzip));
                    }));
                }
                go.countDown();
                for (Future<byte[]> f : all) {
                    f.get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(cache.encodings() - encoded).isBetween(1L, 2L);
            assertThat(cache.compressions() - compressed).isEqualTo(1);
            encoded = cache.encodings();
            bytes(cache.body(formats.getOpenMetricsTextFormatWriter(), false));
            bytes(cache.body(formats.getOpenMetricsTextFormatWriter(), false));
            assertThat(cache.encodings()).isEqualTo(encoded + 1);
            // the OpenMetrics scrape did not replace the text bytes of the same snapshot
            bytes(cache.body(formats.getPrometheusTextFormatWriter(), false));
            assertThat(cache.encodings()).isEqualTo(encoded + 1);
            current.set(snapshot(round)); // another instance with the same values is a new generation
            bytes(cache.body(formats.getPrometheusTextFormatWriter(), false));
            assertThat(cache.encodings()).isEqualTo(encoded + 2);
        }
    }

    @Test
    void noSnapshotYetMeansNoCaching() throws Exception {
        current.set(null);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        ExpositionCache c = new ExpositionCache(registry, current::get);
        ExpositionFormats formats = ExpositionFormats.init();
        bytes(c.body(formats.getPrometheusTextFormatWriter(), false));
        bytes(c.body(formats.getPrometheusTextFormatWriter(), false));
        c.encodeAhead(); // nothing to encode ahead of a null generation
        bytes(c.body(formats.getPrometheusTextFormatWriter(), false));
        assertThat(c.encodings()).isEqualTo(3);
    }

    @Test
    void gzipDecompressesToThePlainBodyWithItsHeaders() throws Exception {
        int port = start();
        for (String accept : new String[] {null, OPENMETRICS}) {
            HttpResponse<byte[]> plain = get(port, accept, null);
            HttpResponse<byte[]> gz = get(port, accept, "deflate, gzip;q=0.8");
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(gz.headers().firstValue("Vary")).contains("Accept-Encoding");
            assertThat(gz.headers().firstValueAsLong("Content-Length")).hasValue(gz.body().length);
            assertThat(plain.headers().firstValueAsLong("Content-Length")).hasValue(plain.body().length);
            assertThat(gz.headers().firstValue("Content-Type"))
                    .isEqualTo(plain.headers().firstValue("Content-Type"));
            assertThat(gz.body().length).isLessThan(plain.body().length);
            assertThat(gunzip(gz.body())).isEqualTo(plain.body());
        }
    }

    @Test
    void gzipWithQZeroGetsPlain() throws Exception {
        int port = start();
        HttpResponse<byte[]> refused = get(port, null, "gzip;q=0, identity");
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("listenq_listen_overflows_total");
    }

    @Test
    void headAnswersTheHeadersWithoutABody() throws Exception {
        int port = start();
        HttpResponse<byte[]> head = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length"))
                .hasValue(get(port, null, null).body().length);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL                   | false",
                "gzip                   | true",
                "GZIP                   | true",
                "x-gzip                 | true",
                "deflate, gzip;q=0.5    | true",
                "gzip;q=0               | false",
                "gzip; q=0.000          | false",
                "gzip;q=0, *            | false",
                "*                      | true",
                "*;q=0                  | false",
                "br, deflate            | false",
                "identity               | false",
                "gzipper                | false",
                "gzip;q=bogus           | false",
                // malformed: ";".split(";") is empty, which threw (a 500 and a stack trace per request)
                "';'                    | false",
                "';;, gzip'             | true",
                "','                    | false",
                "'gzip;q=NaN'           | false",
                "'gzip;q=2'             | false",
                "'  ;q=1, gzip'         | true",
            })
    void acceptEncodingIsParsed(String header, boolean gzip) {
        assertThat(ScrapeFormat.acceptsGzip(header)).as(header).isEqualTo(gzip);
    }

    /** The bytes of an acquired body, released. */
    static byte[] bytes(EncodedBytes body) throws IOException {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            body.writeTo(out);
            return out.toByteArray();
        } finally {
            body.release();
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static Snapshot snapshot(long overflows) {
        return new Snapshot(
                System.currentTimeMillis(),
                0.001,
                List.of(new NamespaceSample(
                        "4026531840",
                        NetnsIdentity.UNKNOWN,
                        Map.of(NetnsCounter.LISTEN_OVERFLOWS, overflows),
                        Map.of(),
                        List.of())),
                List.of(),
                Map.of(),
                0);
    }
}
