package io.listenq.exporter.http;

import static io.listenq.exporter.http.WebServerSecurityTest.ALICE;
import static io.listenq.exporter.http.WebServerSecurityTest.PROMETHEUS;
import static io.listenq.exporter.http.WebServerSecurityTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web config applies changes to its files without SIGHUP, as exporter-toolkit does: a rotated certificate is
 * served at the next handshake, changed users at the next request, and a bad change keeps what runs.
 */
class WebConfigWatchTest {
    @TempDir
    Path dir;

    private static WebServer start(WebSecurity security) {
        return WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 2), security, new PrometheusRegistry())
                .landingPage(() -> "landing")
                .build()
                .start();
    }

    /** Trusts exactly this certificate. */
    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry(
                    "only", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Replaces {@code target} the way rotation tools do: write beside it, then rename over it. */
    private static void replace(Path source, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aRotatedCertificateIsServedWithoutSighupAndABadOneKeepsTheOld() throws Exception {
        Path keyA = OpenSsl.key(dir, "a.key", OpenSsl.KeyForm.RSA_PKCS1);
        Path certA = OpenSsl.selfSigned(dir, "a.pem", keyA, "first");
        Path keyB = OpenSsl.key(dir, "b.key", OpenSsl.KeyForm.EC_SEC1_P256);
        Path certB = OpenSsl.selfSigned(dir, "b.pem", keyB, "second");
        Path keyC = OpenSsl.key(dir, "c.key", OpenSsl.KeyForm.EC_PKCS8);
        Path certC = OpenSsl.selfSigned(dir, "c.pem", keyC, "third");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(certA, cert);
        Files.copy(keyA, key);
        Path config = Files.writeString(
                dir.resolve("web.yml"), "tls_server_config: {cert_file: tls.crt, key_file: tls.key}\n");
        try (WebServer server = start(WebSecurity.load(config))) {
            String base = "https://127.0.0.1:" + server.port();
            assertThat(get(base + "/metrics", trusting(certA), null, null).statusCode())
                    .isEqualTo(200);

            replace(keyB, key);
            replace(certB, cert);
            assertThat(get(base + "/metrics", trusting(certB), null, null).statusCode())
                    .isEqualTo(200);
            assertThatThrownBy(() -> get(base + "/metrics", trusting(certA), null, null))
                    .isInstanceOf(IOException.class);

            // half a rotation (certificate C, key still B): refused, B still served; completing it applies C
            replace(certC, cert);
            assertThat(get(base + "/metrics", trusting(certB), null, null).statusCode())
                    .isEqualTo(200);
            assertThat(get(base + "/metrics", trusting(certB), null, null).statusCode())
                    .isEqualTo(200);
            replace(keyC, key);
            assertThat(get(base + "/metrics", trusting(certC), null, null).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void changedUsersApplyAtTheNextRequestAndABrokenFileKeepsThem() throws Exception {
        Path config = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + PROMETHEUS + "\n");
        try (WebServer server = start(WebSecurity.load(config))) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/metrics", null, "prometheus", "s3cret").statusCode())
                    .isEqualTo(200);

            Files.writeString(config, "basic_auth_users:\n  " + ALICE + "\n"); // rewritten in place
            assertThat(get(base + "/metrics", null, "prometheus", "s3cret").statusCode())
                    .isEqualTo(401);
            assertThat(get(base + "/metrics", null, "alice", "pässwörd").statusCode())
                    .isEqualTo(200);

            Files.writeString(config, "basic_auth_users: [\n");
            assertThat(get(base + "/metrics", null, "alice", "pässwörd").statusCode())
                    .isEqualTo(200);
            Files.delete(config);
            assertThat(get(base + "/metrics", null, "alice", "pässwörd").statusCode())
                    .isEqualTo(200);
            Files.writeString(config, "basic_auth_users:\n  " + PROMETHEUS + "\n");
            assertThat(get(base + "/metrics", null, "prometheus", "s3cret").statusCode())
                    .isEqualTo(200);
        }
    }
}
