package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.http.WebServer;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.LegitScraper;
import io.listenq.exporter.testing.ProcessPeak;
import io.listenq.exporter.testing.RawHttp;
import io.listenq.exporter.testing.StatusCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter under hostile load on loopback, started with exactly the shipped JVM options (jvm.options), each
 * attack bounded in time: it stays alive and a legitimate scrape during each gets 200 within 2 s. Peak RSS, threads
 * and fds are printed for docs/security.md. About 70 s in all; the figures move with the machine's load.
 */
@Tag("stress")
class HostileLoadIT {
    private static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();
    /** htpasswd -nbBC 10 prometheus s3cret */
    private static final String HASH = "$2y$10$.sedpE4XAOTeTFS6vQGry.GJWcpBqsIcP9PZD7C4AcV0YdKh4Ynim";
    /**
     * Slowloris connections: the 20,000 do not fit in one client process beside its own fds under this
     * machine's hard limit of 20,000 per process; 18,000 do, and are 4.4 times the default connection cap.
     */
    static final int SLOWLORIS = 18_000;

    @TempDir
    Path dir;

    @Test
    void twoThousandClientsInARequestLoop() throws Exception {
        try (ExporterProcess p = plain()) {
            StatusCounts codes = new StatusCounts();
            boolean judge = latencyJudged();
            try (ProcessPeak peak = new ProcessPeak(p.pid());
                    LegitScraper legit = scraper(p)) {
                flood(p.port(), 2_000, Duration.ofSeconds(10), codes);
                legit.close();
                peak.close();
                System.out.println("2,000 clients for 10 s: " + peak + "; responses " + codes + "; legit scrapes "
                        + legit.codes.size() + ", p99 " + legit.p99() + " ms");
                assertThat(p.process().isAlive()).isTrue();
                legit.assertAll200(judge, "2,000 clients");
                assertThat(codes.count(500)).isZero();
                assertThat(codes.count(200)).isPositive();
            }
        }
    }

    @Test
    void slowlorisConnections() throws Exception {
        try (ExporterProcess p = plain()) {
            boolean judge = latencyJudged();
            try (ProcessPeak peak = new ProcessPeak(p.pid());
                    LegitScraper legit = scraper(p)) {
                slowloris(p.port(), SLOWLORIS, Duration.ofSeconds(15));
                legit.close();
                peak.close();
                System.out.println(SLOWLORIS + " slowloris connections for 15 s: " + peak + "; legit scrapes "
                        + legit.codes.size() + ", p99 " + legit.p99() + " ms");
                assertThat(p.process().isAlive()).isTrue();
                legit.assertAll200(judge, "slowloris");
                // the client cannot tell (a connection the kernel completed but the exporter never accepted stays
                // writable on its side): the exporter's own fds say that the cap held. Not the cap exactly: an
                // evicted connection's fd lives until Jetty has finished closing it, which lags on a loaded machine
                // (peaks of 2,670 to 3,536 fds seen with the cap at 2,500)
                assertThat(peak.fds())
                        .as("exporter fds at the peak, against %d connections", SLOWLORIS)
                        .isLessThan(2L * WebServer.Settings.DEFAULT_MAX_CONNECTIONS);
            }
            assertThat(p.output()).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void malformedHeadersNeverGet500() throws Exception {
        try (ExporterProcess p = plain();
                ProcessPeak peak = new ProcessPeak(p.pid())) {
            for (String header : io.listenq.exporter.http.WebServerHostileTest.MALFORMED) {
                for (int i = 0; i < 20; i++) {
                    try (Socket s = new Socket("127.0.0.1", p.port())) {
                        assertThat(RawHttp.exchange(
                                        s.getInputStream(), s.getOutputStream(), RawHttp.get("/metrics", header)))
                                .as(header)
                                .isNotEqualTo(500)
                                .isPositive();
                    }
                }
            }
            peak.close();
            System.out.println("21 malformed headers x 20: " + peak);
            // one line per kind of problem, not one per request
            assertThat(p.output().lines().count()).isLessThan(30);
        }
    }

    private static ExporterProcess plain() throws Exception {
        ExporterProcess p = ExporterProcess.startShipped(ExporterProcess.freePort(), "--netns=self");
        p.awaitReady(Duration.ofSeconds(30));
        return p;
    }

    private static LegitScraper scraper(ExporterProcess p) {
        return new LegitScraper(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build());
    }

    /**
     * Whether the 2 s latency target can be judged now: this test shares its 2 cores with the exporter and its own
     * clients, and, on a development machine, with other builds. With a load average above twice the cores before
     * the attack starts, latency says more about the neighbours than about the exporter: it is printed, not judged.
     * Survival, status codes and resource peaks are judged always.
     */
    private static boolean latencyJudged() throws IOException {
        double load =
                Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        boolean judged = load <= 2.0 * cores;
        if (!judged) {
            System.out.println(
                    "load average " + load + " on " + cores + " cores: the 2 s latency target is not judged");
        }
        return judged;
    }

    @Test
    void wrongPasswordsOverTlsDoNotSlowLegitimateScrapes() throws Exception {
        Path web = Files.writeString(
                dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: " + TLS + "/server.pem\n  key_file: " + TLS
                        + "/server.key\nbasic_auth_users:\n  prometheus: " + HASH + "\n");
        int port = ExporterProcess.freePort();
        try (ExporterProcess p = ExporterProcess.startShipped(port, "--netns=self", "--web.config.file=" + web)) {
            SSLContext tls = trusting(TLS.resolve("ca.pem"));
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", basic("prometheus", "s3cret"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            awaitScrape(p, client, scrape);
            StatusCounts codes = new StatusCounts();
            boolean judge = latencyJudged();
            try (ProcessPeak peak = new ProcessPeak(p.pid());
                    LegitScraper legit = new LegitScraper(client, scrape)) {
                wrongPasswords(tls, port, 200, Duration.ofSeconds(15), codes);
                legit.close();
                peak.close();
                System.out.println("200 wrong-password TLS clients for 15 s: " + peak + "; responses " + codes
                        + "; legit scrapes " + legit.codes.size() + ", p99 " + legit.p99() + " ms");
                assertThat(p.process().isAlive()).isTrue();
                legit.assertAll200(judge, "wrong passwords");
                if (judge) {
                    assertThat(legit.p99()).isLessThanOrEqualTo(2_000);
                }
                assertThat(codes.count(200)).as("no wrong password accepted").isZero();
                assertThat(codes.count(500)).isZero();
                assertThat(codes.count(401)).isPositive();
            }
        }
    }

    /** Opens client {@code n}'s connection. */
    private interface Connect {
        Socket open(int n) throws IOException;
    }

    /**
     * {@code clients} virtual threads, each in a keep-alive loop sending {@code request.apply(n, k)} (reconnecting
     * when the server closes) until {@code length} is over; every response's status is counted.
     */
    private static void attack(
            int clients,
            Duration length,
            Connect connect,
            java.util.function.BiFunction<Integer, Integer, byte[]> request,
            StatusCounts codes)
            throws Exception {
        long end = System.nanoTime() + length.toNanos();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int n = i;
                threads.submit(() -> {
                    for (int k = 0; System.nanoTime() < end; ) {
                        try (Socket s = connect.open(n)) {
                            s.setSoTimeout(15_000);
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            while (System.nanoTime() < end) {
                                int code = RawHttp.exchange(in, out, request.apply(n, k++));
                                codes.add(code);
                                if (code < 0) {
                                    break;
                                }
                            }
                        } catch (IOException e) {
                            codes.add(-1);
                        }
                    }
                    return null;
                });
            }
        }
    }

    private static void flood(int port, int clients, Duration length, StatusCounts codes) throws Exception {
        // not /metrics: --web.max-requests answers the 11th concurrent scrape 503, the legitimate one included
        byte[][] requests = {RawHttp.get("/-/healthy"), RawHttp.get("/")};
        attack(
                clients,
                length,
                n -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    return s;
                },
                (n, k) -> requests[(n + k) % requests.length],
                codes);
    }

    /** Opens {@code count} connections that trickle a header line every 2 s until {@code length} is over. */
    private static void slowloris(int port, int count, Duration length) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        byte[] start = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = "X-Slow: y\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 16; t++) {
                    threads.submit(() -> {
                        for (int i = 0; i < count / 16 && System.nanoTime() < end; i++) {
                            Socket s = new Socket();
                            try {
                                s.connect(new InetSocketAddress("127.0.0.1", port), 3_000);
                                s.getOutputStream().write(start);
                                sockets.add(s);
                            } catch (IOException e) {
                                s.close();
                            }
                        }
                        return null;
                    });
                }
            }
            while (System.nanoTime() < end) {
                Thread.sleep(2_000);
                synchronized (sockets) {
                    for (Socket s : sockets) {
                        try {
                            s.getOutputStream().write(line);
                        } catch (IOException e) {
                            // closed by the server: the point
                        }
                    }
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static void wrongPasswords(SSLContext tls, int port, int clients, Duration length, StatusCounts codes)
            throws Exception {
        attack(
                clients,
                length,
                n -> {
                    // each client from an address of its own (127.0.0.2...), as a distributed guesser would be
                    Socket s = tls.getSocketFactory().createSocket();
                    s.bind(new InetSocketAddress("127.0." + ((n + 2) / 250) + "." + ((n + 2) % 250 + 1), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    return s;
                },
                (n, k) -> RawHttp.get("/metrics", "Authorization: " + basic("prometheus", "guess" + n + "-" + k)),
                codes);
    }

    private static void awaitScrape(ExporterProcess p, HttpClient client, HttpRequest scrape) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(scrape, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no authenticated scrape in 30 s:\n" + p.output());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
