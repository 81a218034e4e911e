package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as users run it: SIGTERM stops it within 2 s with exit code 143 (the JVM's 128 + SIGTERM, after the
 * shutdown hook closed HTTP, the sampler, its netlink sockets and namespace fds); a bad --web.config.file stops
 * the start with exit code 1 and one line; SIGHUP reloads the web config, also when the exporter started with
 * SIGHUP ignored (nohup).
 */
class LifecycleIT {
    private static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();
    /** htpasswd -nbBC 10 prometheus s3cret. */
    private static final String HASH = "$2y$10$.sedpE4XAOTeTFS6vQGry.GJWcpBqsIcP9PZD7C4AcV0YdKh4Ynim";

    @TempDir
    Path dir;

    @Test
    void sigtermStopsWithin2sAndClosesEverything() throws Exception {
        TestNetns.assumeRootWithIproute(); // --netns=all: netlink sockets and namespace fds to close
        int port = ExporterProcess.freePort();
        try (ExporterProcess p = ExporterProcess.start(List.of(), port, "--netns=all", "--sample.interval=100ms")) {
            p.awaitReady(Duration.ofSeconds(30));
            Thread.sleep(500); // a few rounds: sockets and namespace fds are open
            assertThat(p.scrape().value("listenq_netns")).isGreaterThanOrEqualTo(1);
            long t0 = System.nanoTime();
            p.process().destroy(); // SIGTERM
            assertThat(p.process().waitFor(2, TimeUnit.SECONDS))
                    .as("exited within 2 s")
                    .isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(p.process().exitValue()).isEqualTo(143);
            String out = p.output();
            assertThat(out)
                    .contains("shutting down")
                    .containsPattern("stopped in \\d+ ms")
                    .doesNotContain("did not stop")
                    .doesNotContain("Exception");
            System.out.println("SIGTERM to exit: " + ms + " ms; "
                    + out.lines()
                            .filter(l -> l.contains("stopped in"))
                            .findFirst()
                            .orElse(""));
        }
    }

    @Test
    void badWebConfigRefusesToStartWithOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: hunter2\n");
        try (ExporterProcess p =
                ExporterProcess.start(List.of(), ExporterProcess.freePort(), "--web.config.file=" + file)) {
            assertThat(p.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process().exitValue()).isEqualTo(1);
            assertThat(p.output().strip().lines().toList())
                    .containsExactly("listenq-exporter: cannot start: web config "
                            + file + ": basic_auth_users: the password of user 'alice' is not a bcrypt hash "
                            + "($2y$10$ followed by 53 characters, e.g. from htpasswd -nBC 10)");
        }
    }

    @Test
    void sighupReloadsTheWebConfigAndABadFileKeepsTheOldOne() throws Exception {
        Path file = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  prometheus: " + HASH + "\n");
        int port = ExporterProcess.freePort();
        try (ExporterProcess p = ExporterProcess.start(List.of(), port, "--netns=self", "--web.config.file=" + file)) {
            awaitCode(port, "/-/healthy", 401);
            Files.writeString(file, "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
            hup(p);
            awaitLog(p, "reloaded web config"); // by the signal alone: no request has come in since
            awaitCode(port, "/-/healthy", 200);
            assertThat(ExporterProcess.get(port, "/-/healthy", null).headers()).contains("X-Frame-Options: deny");
            Files.writeString(file, "basic_auth_users: [\n");
            hup(p);
            awaitLog(p, "web config reload refused");
            assertThat(ExporterProcess.get(port, "/metrics", null).code()).isEqualTo(200);
            assertThat(ExporterProcess.get(port, "/metrics", null).code()).isEqualTo(200);
            assertThat(p.process().isAlive()).isTrue();
            // the requests' own check saw the same refused file: still one line about it
            assertThat(p.output().lines().filter(l -> l.contains("reload refused")))
                    .hasSize(1);
        }
    }

    /**
     * Started as nohup starts it, SIGHUP ignored (exec keeps that): HotSpot would leave an ignored SIGHUP alone and
     * Signal.handle would not say so; the exporter sets it back to SIG_DFL first, so SIGHUP still reloads.
     */
    @Test
    void sighupReloadsWhenTheExporterStartedWithItIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  prometheus: " + HASH + "\n");
        int port = ExporterProcess.freePort();
        List<String> hupIgnored = List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh");
        try (ExporterProcess p = ExporterProcess.start(hupIgnored, port, "--netns=self", "--web.config.file=" + file)) {
            awaitCode(port, "/-/healthy", 401);
            Files.writeString(file, "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
            hup(p);
            awaitLog(p, "reloaded web config"); // by the signal alone: no request has come in since
            assertThat(p.process().isAlive()).isTrue();
            awaitCode(port, "/-/healthy", 200);
            assertThat(p.output()).contains("SIGHUP was ignored at start (nohup or trap '' HUP)");
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithTheToolkitFields() throws Exception {
        int port = ExporterProcess.freePort();
        try (ExporterProcess p =
                ExporterProcess.start(List.of(), port, "--netns=self", "--log.format=json", "--log.level=debug")) {
            p.awaitReady(Duration.ofSeconds(30));
            p.process().destroy();
            assertThat(p.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
            List<String> lines =
                    p.output().lines().filter(l -> !l.startsWith("WARNING: ")).toList(); // the JVM's
            assertThat(lines)
                    .anySatisfy(l -> assertThat(l).contains("listening on"))
                    .anySatisfy(l -> assertThat(l).contains("stopped in"));
            for (String line : lines) {
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> event = (java.util.Map<String, Object>) Json.parse(line);
                assertThat(List.copyOf(event.keySet()).subList(0, 4))
                        .as(line)
                        .containsExactly("time", "level", "source", "msg");
                assertThat((String) event.get("source")).as(line).matches("\\w+\\.java:\\d+");
            }
        }
    }

    @Test
    void tlsFromTheWebConfig() throws Exception {
        Path file = Files.writeString(
                dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: " + TLS + "/server.pem\n  key_file: " + TLS + "/server.key\n");
        int port = ExporterProcess.freePort();
        try (ExporterProcess p = ExporterProcess.start(List.of(), port, "--netns=self", "--web.config.file=" + file)) {
            awaitLog(p, "(https,");
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(TLS.resolve("ca.pem"))) {
                trust.setCertificateEntry(
                        "ca",
                        java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificate(in));
            }
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (var client =
                    java.net.http.HttpClient.newBuilder().sslContext(ctx).build()) {
                var r = client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("https://127.0.0.1:" + port + "/-/healthy"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("Healthy\n");
            }
        }
    }

    private static void hup(ExporterProcess p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid()))
                        .start()
                        .waitFor())
                .isZero();
    }

    private static void awaitCode(int port, String path, int code) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = ExporterProcess.get(port, path, null).code();
                if (last == code) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never answered " + code + " (last " + last + ")");
    }

    private static void awaitLog(ExporterProcess p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (p.output().contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in:\n" + p.output());
    }
}
