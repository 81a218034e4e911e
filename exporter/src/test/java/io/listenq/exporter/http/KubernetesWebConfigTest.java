package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The web config that deploy/kubernetes/web-config.yaml ships, loaded by the exporter's own parser and served by
 * a real Jetty (its certificate paths pointed at the test fixtures): HTTPS, 401 without a password, 200 for
 * Prometheus with the scrape Secret's password and for the kubelet with the probes' header of daemonset.yaml.
 */
class KubernetesWebConfigTest {
    private static final Pattern PROBE_HEADER = Pattern.compile("value: (Basic \\S+)");

    @TempDir
    Path dir;

    @Test
    void shippedSecretServesTlsAndBasicAuth() throws Exception {
        Path manifests = manifests();
        Map<String, String> secrets = new java.util.HashMap<>();
        for (Object doc : new Yaml().loadAll(Files.readString(manifests.resolve("web-config.yaml")))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) doc;
            @SuppressWarnings("unchecked")
            Map<String, String> data = (Map<String, String>) d.get("stringData");
            secrets.putAll(data);
        }
        String webConfig = secrets.get("web-config.yml")
                .replace(
                        "/etc/listenq-exporter/tls/tls.crt",
                        TestTls.DIR.resolve("server.pem").toString())
                .replace(
                        "/etc/listenq-exporter/tls/tls.key",
                        TestTls.DIR.resolve("server.key").toString());
        WebSecurity security = WebSecurity.load(Files.writeString(dir.resolve("web-config.yml"), webConfig));
        assertThat(security.tls()).isTrue();
        try (WebServer server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 2), security, new PrometheusRegistry())
                .landingPage(() -> "landing")
                .build()
                .start()) {
            expectAnswers("https://127.0.0.1:" + server.port(), manifests, secrets);
        }
    }

    private static void expectAnswers(String base, Path manifests, Map<String, String> secrets) throws Exception {
        Matcher probe = PROBE_HEADER.matcher(Files.readString(manifests.resolve("daemonset.yaml")));
        assertThat(probe.find())
                .as("probe Authorization header in daemonset.yaml")
                .isTrue();
        String scrape = "Basic "
                + Base64.getEncoder()
                        .encodeToString((secrets.get("username") + ":" + secrets.get("password"))
                                .getBytes(StandardCharsets.UTF_8));

        assertThat(get(base + "/metrics", null)).isEqualTo(401);
        assertThat(get(
                        base + "/metrics",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString("prometheus:wrong".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(401);
        assertThat(get(base + "/metrics", scrape)).isEqualTo(200);
        assertThat(get(base + "/-/healthy", probe.group(1))).isEqualTo(200);
        assertThat(get(base + "/-/ready", probe.group(1))).isEqualTo(200);
    }

    private static int get(String url, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(TestTls.client("ca.pem", null, null))
                .build()) {
            return client.send(r.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    private static Path manifests() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/kubernetes"))) {
                return d.resolve("deploy/kubernetes");
            }
        }
        throw new IllegalStateException(
                "no deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }
}
