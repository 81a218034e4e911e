package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.listeners.ListenerRowsTest;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Json;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/listeners} and the landing page's table, behind basic auth like the metrics. */
class ListenersApiTest {
    @TempDir
    Path dir;

    private WebServer server;
    private String base;
    private final Snapshot snapshot = ListenerRowsTest.snapshot();

    @BeforeEach
    void start() throws Exception {
        Path web = Files.writeString(
                dir.resolve("web.yml"),
                "basic_auth_users:\n  prometheus: " + WebConfigParserTest.PROMETHEUS_HASH + "\n");
        Config config = ((Flags.Run) Flags.parse()).config();
        server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 2),
                        WebSecurity.load(web),
                        new PrometheusRegistry())
                .generation(() -> snapshot)
                .landingPage(() -> LandingPage.render("1.2.3", config, "self", snapshot))
                .listeners(() -> snapshot)
                .build()
                .start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (auth) {
            r.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listeners(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body())).get("listeners");
    }

    private static List<Object> ports(List<Map<String, Object>> rows) {
        return rows.stream().map(m -> m.get("port")).toList();
    }

    @Test
    void sameAuthAsTheMetrics() throws Exception {
        assertThat(get(ListenersApi.PATH, false).statusCode()).isEqualTo(401);
        assertThat(ports(listeners(get(ListenersApi.PATH, true)))).containsExactly(82.0, 81.0, null, 8080.0, 80.0);
    }

    @Test
    void gzipWhenAsked() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + ListenersApi.PATH))
                .header("Accept-Encoding", "gzip")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes()))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> res = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(res.headers().firstValue("Content-Encoding")).contains("gzip");
            String body = new String(
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(res.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(body).isEqualTo(get(ListenersApi.PATH, true).body());
        }
    }

    @Test
    void filtersAndEmptyAnswers() throws Exception {
        assertThat(ports(listeners(get(ListenersApi.PATH + "?netns=host&min_fill=1", true))))
                .containsExactly(82.0);
        assertThat(ports(listeners(get(ListenersApi.PATH + "?netns=4026532999", true))))
                .containsExactly(null, 8080.0);
        assertThat(listeners(get(ListenersApi.PATH + "?netns=lq-none", true))).isEmpty();
        assertThat(listeners(get(ListenersApi.PATH + "?min_fill=7", true))).isEmpty();
    }

    @Test
    void badFilterValuesAre400WithAMessage() throws Exception {
        HttpResponse<String> r = get(ListenersApi.PATH + "?min_fill=full", true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .startsWith("bad request: min_fill: 'full' is not a number")
                .hasLineCount(1);
        assertThat(get(ListenersApi.PATH + "?min_fill=-0.5", true).statusCode()).isEqualTo(400);
        assertThat(get(ListenersApi.PATH + "?netns=", true).statusCode()).isEqualTo(400);
    }

    @Test
    void landingPageListsTroubleWithOwnersAndRefreshes() throws Exception {
        HttpResponse<String> r = get("/", true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("<meta http-equiv=\"refresh\" content=\"5\">")
                .contains("2 in trouble")
                .contains("data-port=\"82\" data-length=\"5\" data-backlog=\"4\" data-cgroup=\"/lq.scope\"")
                .contains("<td>web.service</td>")
                .contains("<td>container:0123456789ab</td>")
                .contains("/run/app &quot;x&quot;.sock")
                .doesNotContain("<script");
    }
}
