package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web config end to end on a real Jetty: basic auth, headers, client certificates, versions, reload. */
class WebServerSecurityTest {
    static final String PROMETHEUS = "prometheus: " + WebConfigParserTest.PROMETHEUS_HASH;
    static final String ALICE = "alice: '" + BasicAuthTest.ALICE_HASH + "'";

    @TempDir
    Path dir;

    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("web.yml"), yaml.replace("$TLS", TestTls.DIR.toString()));
    }

    private String start(WebSecurity security) {
        server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 2), security, new PrometheusRegistry())
                .landingPage(() -> "landing")
                .build()
                .start();
        return (security.tls() ? "https" : "http") + "://127.0.0.1:" + server.port();
    }

    static HttpResponse<String> get(String url, SSLContext ctx, String user, String password)
            throws IOException, InterruptedException {
        HttpClient.Builder b =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (ctx != null) {
            b.sslContext(ctx);
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            r.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = b.build()) {
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void basicAuthGuardsEveryPathAndHeadersAreSetOnEveryAnswer() throws Exception {
        String base = start(WebSecurity.load(config("""
                basic_auth_users:
                  %s
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                    X-Content-Type-Options: nosniff
                """.formatted(PROMETHEUS))));
        for (String path : new String[] {"/metrics", "/", "/-/healthy", "/-/ready", "/nowhere"}) {
            HttpResponse<String> none = get(base + path, null, null, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate"))
                    .get()
                    .asString()
                    .startsWith("Basic realm=");
            assertThat(none.headers().firstValue("X-Frame-Options")).contains("deny");
        }
        assertThat(get(base + "/metrics", null, "prometheus", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(get(base + "/metrics", null, "nobody", "s3cret").statusCode())
                .isEqualTo(401);
        HttpResponse<String> ok = get(base + "/-/healthy", null, "prometheus", "s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("Healthy\n");
        assertThat(ok.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(get(base + "/metrics", null, "prometheus", "s3cret").statusCode())
                .isEqualTo(200);
    }

    @Test
    void requireAndVerifyClientCertRefusesTheHandshakeWithoutATrustedCertificate() throws Exception {
        String base = start(WebSecurity.load(config("""
                tls_server_config:
                  cert_file: $TLS/server.pem
                  key_file: $TLS/server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: $TLS/ca.pem
                """)));
        assertThat(get(base + "/metrics", TestTls.client("ca.pem", "client.pem", "client.key"), null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(base + "/metrics", TestTls.client("ca.pem", null, null), null, null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() ->
                        get(base + "/metrics", TestTls.client("ca.pem", "stranger.pem", "stranger.key"), null, null))
                .isInstanceOf(IOException.class);
        // plain HTTP to the TLS port is no way around it: no HTTP answer at all
        assertThatThrownBy(() -> get(base.replace("https", "http") + "/metrics", null, null, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void requireAnyClientCertAsksButDoesNotVerifyLikeGo() throws Exception {
        String base = start(WebSecurity.load(config("""
                tls_server_config:
                  cert_file: $TLS/server.pem
                  key_file: $TLS/server-pkcs1.key
                  client_auth_type: RequireAnyClientCert
                """)));
        assertThat(get(base + "/metrics", TestTls.client("ca.pem", "stranger.pem", "stranger.key"), null, null)
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(base + "/metrics", TestTls.client("ca.pem", null, null), null, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void minVersionIsEnforced() throws Exception {
        String base = start(WebSecurity.load(config("""
                tls_server_config:
                  cert_file: $TLS/server.pem
                  key_file: $TLS/server.key
                  min_version: TLS13
                """)));
        SSLContext ctx = TestTls.client("ca.pem", null, null);
        assertThat(get(base + "/", ctx, null, null).statusCode()).isEqualTo(200);
        HttpClient tls12 = HttpClient.newBuilder()
                .sslContext(ctx)
                .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"}))
                .build();
        try (tls12) {
            assertThatThrownBy(() -> tls12.send(
                            HttpRequest.newBuilder(URI.create(base + "/")).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void reloadSwapsCertificateAndUsersAndABadFileKeepsTheRunningConfig() throws Exception {
        Path file = config("""
                tls_server_config:
                  cert_file: $TLS/server.pem
                  key_file: $TLS/server.key
                basic_auth_users:
                  %s
                """.formatted(PROMETHEUS));
        WebSecurity security = WebSecurity.load(file);
        String base = start(security);
        SSLContext trustCa = TestTls.client("ca.pem", null, null);
        SSLContext trustSecond = TestTls.client("server2.pem", null, null);
        assertThat(get(base + "/metrics", trustCa, "prometheus", "s3cret").statusCode())
                .isEqualTo(200);

        config("""
                tls_server_config:
                  cert_file: $TLS/server2.pem
                  key_file: $TLS/server2.key
                basic_auth_users:
                  %s
                """.formatted(ALICE));
        assertThat(security.reload()).isTrue();
        assertThatThrownBy(() -> get(base + "/metrics", trustCa, "alice", "pässwörd"))
                .isInstanceOf(IOException.class);
        assertThat(get(base + "/metrics", trustSecond, "alice", "pässwörd").statusCode())
                .isEqualTo(200);
        assertThat(get(base + "/metrics", trustSecond, "prometheus", "s3cret").statusCode())
                .isEqualTo(401);

        for (String bad : new String[] {
            "tls_server_config: {cert_file: $TLS/server.pem, key_file: $TLS/server2.key}\n", // key mismatch
            "tls_server_config: {cert_file: $TLS/nope.pem, key_file: $TLS/server.key}\n", // unreadable
            "basic_auth_users: {alice: x}\n", // also: TLS off
            "tls_server_config: [\n"
        }) {
            config(bad);
            assertThat(security.reload()).as(bad).isFalse();
            assertThat(get(base + "/metrics", trustSecond, "alice", "pässwörd").statusCode())
                    .as(bad)
                    .isEqualTo(200);
        }
    }

    @Test
    void badTlsMaterialRefusesToStartNamingTheFile() throws Exception {
        Path file = config("tls_server_config: {cert_file: $TLS/server.pem, key_file: $TLS/client.key}\n");
        assertThatThrownBy(() -> WebSecurity.load(file))
                .isInstanceOf(WebConfigException.class)
                .hasMessageStartingWith("web config " + file + ": TLS material: the private key")
                .hasMessageContaining("does not match");
        Path missing = config("tls_server_config: {cert_file: $TLS/absent.pem, key_file: $TLS/server.key}\n");
        assertThatThrownBy(() -> WebSecurity.load(missing))
                .hasMessageContaining("cannot read")
                .hasMessageContaining("absent.pem");
        Path notPem = config("tls_server_config: {cert_file: web.yml, key_file: $TLS/server.key}\n");
        assertThatThrownBy(() -> WebSecurity.load(notPem)).hasMessageContaining("no PEM CERTIFICATE block");
        Path suite = config("tls_server_config: {cert_file: $TLS/server.pem, key_file: $TLS/server.key, "
                + "cipher_suites: [TLS_MADE_UP]}\n");
        assertThatThrownBy(() -> WebSecurity.load(suite)).hasMessageContaining("unknown cipher suite TLS_MADE_UP");
    }
}
