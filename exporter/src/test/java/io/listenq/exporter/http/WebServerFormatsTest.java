package io.listenq.exporter.http;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.metrics.SelfMetrics;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protobuf exposition (what Prometheus asks for with scrape_protocols PrometheusProto), parsed with client_java's
 * own generated classes, and client_java's {@code name[]} filter; the listener families written from rows (as the
 * exporter wires it) as client_java writes them.
 */
class WebServerFormatsTest {
    private static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
    private static final Snapshot SNAPSHOT = Snapshots.snapshot(new NamespaceSample(
                    "4026531840",
                    NetnsIdentity.UNKNOWN,
                    Map.of(NetnsCounter.LISTEN_OVERFLOWS, 42L),
                    Map.of(),
                    List.of(listener("4026531840", "ipv4", "127.0.0.1", "8080")
                            .acceptQueue(5)
                            .backlog(4)
                            .drops(75)
                            .synQueue(5)
                            .fullSeconds(12.5)
                            .build())))
            .timestampMillis(1_764_072_000_000L)
            .roundSeconds(0.002)
            .build();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private SelfMetrics self;

    private final PrometheusRegistry registry = new PrometheusRegistry();

    @BeforeEach
    void start() {
        ListenqCollector collector = new ListenqCollector(() -> SNAPSHOT, "test");
        registry.register(collector);
        self = SelfMetrics.register(registry);
        server = WebServer.builder(WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10), WebSecurity.none(), registry)
                .generation(() -> SNAPSHOT)
                .rows(collector::rows, ListenqCollector.rowFamilyNames())
                .observer(self)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        self.close();
        http.close();
    }

    private HttpResponse<byte[]> get(String query, String accept, boolean gzip) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics" + query));
        if (accept != null) {
            r.header("Accept", accept);
        }
        if (gzip) {
            r.header("Accept-Encoding", "gzip");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, Metrics.MetricFamily> families(byte[] body) throws Exception {
        Map<String, Metrics.MetricFamily> out = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(body)) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                assertThat(out.put(f.getName(), f))
                        .as("family %s twice", f.getName())
                        .isNull();
            }
        }
        return out;
    }

    @Test
    void protobufIsServedAndParsesIntoTheSameValues() throws Exception {
        HttpResponse<byte[]> res = get("", PROTOBUF, false);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/vnd.google.protobuf")
                .contains("encoding=delimited");
        Map<String, Metrics.MetricFamily> f = families(res.body());

        Metrics.MetricFamily overflows = f.get("listenq_listen_overflows_total");
        assertThat(overflows.getType()).isEqualTo(Metrics.MetricType.COUNTER);
        assertThat(overflows.getMetric(0).getCounter().getValue()).isEqualTo(42);
        assertThat(overflows.getMetric(0).getLabel(0).getName()).isEqualTo("netns");
        assertThat(overflows.getMetric(0).getLabel(0).getValue()).isEqualTo("4026531840");
        Metrics.MetricFamily queue = f.get("listenq_accept_queue_length");
        assertThat(queue.getType()).isEqualTo(Metrics.MetricType.GAUGE);
        assertThat(queue.getMetric(0).getGauge().getValue()).isEqualTo(5);
        assertThat(f.get("listenq_sample_round_duration_seconds")
                        .getMetric(0)
                        .getGauge()
                        .getValue())
                .isEqualTo(0.002);
        // the self-metrics travel the same way: a histogram and the standard process families
        assertThat(f.get("listenq_sample_rounds_seconds").getType()).isEqualTo(Metrics.MetricType.HISTOGRAM);
        assertThat(f.get("process_resident_memory_bytes")
                        .getMetric(0)
                        .getGauge()
                        .getValue())
                .isPositive();

        // gzip of the same bytes, and the scrape counted under its format
        HttpResponse<byte[]> gz = get("", PROTOBUF, true);
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
        assertThat(families(plain).keySet()).isEqualTo(f.keySet());
        String text = new String(get("", null, false).body(), StandardCharsets.UTF_8);
        assertThat(text).contains("listenq_scrapes_seconds_count{compression=\"none\",format=\"protobuf\"} 1");
    }

    @Test
    void nameFilterSelectsFamiliesAsClientJavaDoes() throws Exception {
        String text = new String(
                get(
                                "?name[]=listenq_accept_queue_length&name[]=listenq_listen_overflows_total"
                                        + "&name[]=process_open_fds",
                                null,
                                false)
                        .body(),
                StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE ")).toList())
                .containsExactlyInAnyOrder(
                        "# TYPE listenq_accept_queue_length gauge",
                        "# TYPE listenq_listen_overflows_total counter",
                        "# TYPE process_open_fds gauge");
        assertThat(text).contains("listenq_listen_overflows_total{netns=\"4026531840\"} 42");

        // the same filter in protobuf and gzip; a name that matches nothing gives an empty answer, not an error
        HttpResponse<byte[]> pb = get("?name%5B%5D=listenq_accept_queue_length", PROTOBUF, true);
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(pb.body())).readAllBytes();
        assertThat(families(plain).keySet()).containsExactly("listenq_accept_queue_length");
        HttpResponse<byte[]> none = get("?name[]=no_such_metric", null, false);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        // and an unfiltered scrape afterwards still has everything (the filtered bytes were not cached)
        assertThat(new String(get("", null, false).body(), StandardCharsets.UTF_8))
                .contains("# TYPE listenq_netns gauge", "# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void rowFamiliesAreWhatClientJavaWrites() throws Exception {
        String served = new String(get("", null, false).body(), StandardCharsets.UTF_8);
        String openMetrics = new String(
                get("", "application/openmetrics-text; version=1.0.0", false).body(), StandardCharsets.UTF_8);
        for (ExpositionFormatWriter w :
                List.of(PrometheusTextFormatWriter.create(), OpenMetricsTextFormatWriter.create())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.write(out, registry.scrape(n -> ListenqCollector.rowFamilyNames().contains(n)));
            String reference = out.toString(StandardCharsets.UTF_8).replace("# EOF\n", "");
            boolean om = w instanceof OpenMetricsTextFormatWriter;
            List<String> families = List.of(reference.split(om ? "(?=# TYPE )" : "(?=# HELP )"));
            // the listener has every value and an (unknown) owner: 8 families; its namespace one counter and its info
            assertThat(families).hasSize(10);
            for (String family : families) {
                assertThat(w instanceof OpenMetricsTextFormatWriter ? openMetrics : served)
                        .contains(family);
            }
        }
    }
}
