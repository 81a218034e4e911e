package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WebServerProbesTest {
    @Test
    void healthAndReadinessFollowTheSampler() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (WebServer server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 2),
                        WebSecurity.none(),
                        new PrometheusRegistry())
                .probes(new WebServer.Probes(healthy::get, ready::get))
                .landingPage(() -> "landing")
                .build()
                .start()) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(client, base + "/-/ready"))
                    .as("before the first sample")
                    .isEqualTo(503);
            assertThat(status(client, base + "/-/healthy")).isEqualTo(200);
            ready.set(true);
            assertThat(status(client, base + "/-/ready")).isEqualTo(200);
            healthy.set(false);
            assertThat(status(client, base + "/-/healthy"))
                    .as("sampler stopped")
                    .isEqualTo(503);
        }
    }

    private static int status(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
