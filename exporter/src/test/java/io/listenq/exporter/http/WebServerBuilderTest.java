package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebServerBuilderTest {
    private static final WebServer.Settings BASE = WebServer.Settings.of("127.0.0.1", 0, "/metrics", 3);

    @Test
    void settingsOfTakesEveryDefaultAndEachCopyChangesOnlyItsOwnField() {
        Duration idle = WebServer.Settings.DEFAULT_IDLE_TIMEOUT;
        int max = WebServer.Settings.DEFAULT_MAX_CONNECTIONS;
        Duration header = WebServer.Settings.DEFAULT_HEADER_TIMEOUT;
        assertThat(BASE).isEqualTo(settings(idle, max, header));
        assertThat(BASE.withIdleTimeout(Duration.ofMillis(1234)))
                .isEqualTo(settings(Duration.ofMillis(1234), max, header));
        assertThat(BASE.withMaxConnections(7)).isEqualTo(settings(idle, 7, header));
        assertThat(BASE.withHeaderTimeout(Duration.ofMillis(567)))
                .isEqualTo(settings(idle, max, Duration.ofMillis(567)));
    }

    /** What the canonical constructor makes of {@link #BASE}'s first four and these three. */
    private static WebServer.Settings settings(Duration idle, int maxConnections, Duration header) {
        return new WebServer.Settings(
                "127.0.0.1", 0, "/metrics", 3, idle, WebServer.Settings.DEFAULT_ACCEPT_QUEUE, maxConnections, header);
    }

    @Test
    void theDefaultsServeAnEmptyLandingPageAlwaysReadyAndNoListenersRoute() throws Exception {
        try (WebServer server = WebServer.builder(BASE, WebSecurity.none(), new PrometheusRegistry())
                .build()
                .start()) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> landing = get(client, base + "/");
            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(landing.body()).isEmpty();
            assertThat(get(client, base + "/-/ready").statusCode()).isEqualTo(200);
            assertThat(get(client, base + "/-/healthy").statusCode()).isEqualTo(200);
            assertThat(get(client, base + ListenersApi.PATH).statusCode()).isEqualTo(404);
            assertThat(get(client, base + "/metrics").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
