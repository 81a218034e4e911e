package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile client gets from the real Jetty: bad headers, slow headers, too many connections. */
public class WebServerHostileTest {
    @TempDir
    Path dir;

    private WebServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int start(WebSecurity security, PrometheusRegistry registry, int maxConnections, Duration headerTimeout) {
        server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 4)
                                .withMaxConnections(maxConnections)
                                .withHeaderTimeout(headerTimeout),
                        security,
                        registry)
                .landingPage(() -> "landing")
                .build()
                .start();
        return server.port();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** 21 malformed headers (the first one answered 500 with a stack trace per request before). */
    public static final List<String> MALFORMED = List.of(
            "Accept-Encoding: ;",
            "Accept-Encoding: ,",
            "Accept-Encoding: ;;,;",
            "Accept-Encoding: gzip;q=",
            "Accept-Encoding: gzip;q=abc",
            "Accept-Encoding: gzip;q=NaN",
            "Accept-Encoding: gzip;q=1e999",
            "Accept-Encoding: *;q=-1",
            "Accept: ;",
            "Accept: ,,,",
            "Accept: text/plain;version=",
            "Accept: application/openmetrics-text; version=abc",
            "Accept: */*;q=x",
            "Accept: a/b/c;;q",
            "Authorization: Basic",
            "Authorization: Basic ====",
            "Authorization: Basic " + b64("no-colon"),
            "Authorization: Basic " + b64(":"),
            "Authorization: Bearer",
            "Authorization: Basic " + b64("\u00ff\u00fe:\u00ff"),
            "Authorization: Basic " + "A".repeat(4000));

    @Test
    void malformedHeadersNeverGet500() throws Exception {
        assertThat(MALFORMED).hasSize(21);
        Path web = Files.writeString(
                dir.resolve("web.yml"),
                "basic_auth_users:\n  prometheus: " + WebConfigParserTest.PROMETHEUS_HASH + "\n");
        for (WebSecurity security : List.of(WebSecurity.none(), WebSecurity.load(web))) {
            int port = start(security, new PrometheusRegistry(), 100, Duration.ofSeconds(10));
            for (String header : MALFORMED) {
                for (String path : List.of("/metrics", "/-/healthy")) {
                    int code = status(
                            port,
                            "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + header + "\r\nConnection: close\r\n\r\n");
                    assertThat(code)
                            .as("%s with %s (%s)", path, header, security.describe())
                            .isIn(200, 400, 401, 406, 429);
                }
            }
            server.close();
            server = null;
        }
    }

    /** The defect: every scrape answered 500 for 32 s while /-/healthy said 200. */
    @Test
    void scrapesThatKeepFailingMakeHealthyFailUntilOneSucceeds() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                if (broken.get()) {
                    throw new IllegalStateException("simulated encode failure");
                }
                return new MetricSnapshots();
            }
        });
        int port = start(WebSecurity.none(), registry, 100, Duration.ofSeconds(10));
        for (int i = 0; i < ScrapeHealth.FAILING_AFTER; i++) {
            assertThat(get(port, "/-/healthy")).as("after %d failed scrapes", i).isEqualTo(200);
            assertThat(get(port, "/metrics")).isEqualTo(500);
        }
        assertThat(get(port, "/-/healthy")).isEqualTo(503);
        broken.set(false);
        assertThat(get(port, "/metrics")).isEqualTo(200);
        assertThat(get(port, "/-/healthy")).isEqualTo(200);
    }

    @Test
    void aConnectionOverTheCapIsClosedAtOnce() throws Exception {
        int port = start(WebSecurity.none(), new PrometheusRegistry(), 5, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            Socket s = connect(port);
            s.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
        Socket over = connect(port);
        over.setSoTimeout(3_000);
        long t = System.nanoTime();
        assertThat(readOrClosed(over.getInputStream()))
                .as("closed, not left waiting")
                .isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void atTheCapANewScraperEvictsAConnectionThatSentNothing() throws Exception {
        int port = start(WebSecurity.none(), new PrometheusRegistry(), 5, Duration.ofSeconds(10));
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            silent.add(connect(port));
        }
        Thread.sleep(500); // let Jetty open them all
        assertThat(status(port, "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .isEqualTo(200);
        // the oldest one Jetty had opened is evicted: on a loaded machine not necessarily the first connected
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int closed = 0;
        while (closed == 0 && System.nanoTime() < deadline) {
            for (Socket s : silent) {
                s.setSoTimeout(50);
                closed += readOrClosed(s.getInputStream()) == -1 ? 1 : 0;
            }
        }
        assertThat(closed).as("silent connections evicted").isEqualTo(1);
    }

    /** The defect: a header line every 25 s kept a connection for hours, as any byte reset the idle timeout. */
    @Test
    void aHeaderThatTrickles() throws Exception {
        int port = start(WebSecurity.none(), new PrometheusRegistry(), 100, Duration.ofSeconds(1));
        Socket s = connect(port);
        s.setSoTimeout(200);
        s.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long t = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < 25 && !closed; i++) {
            try {
                s.getOutputStream().write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                closed = readOrClosed(s.getInputStream()) == -1;
            } catch (SocketException e) {
                closed = true; // reset by the server
            }
        }
        assertThat(closed).as("closed while bytes kept coming").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(4));
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        sockets.add(s);
        return s;
    }

    /** -1 when the server closed the connection, 0 when nothing came within the socket's timeout, else 1. */
    private static int readOrClosed(InputStream in) throws IOException {
        try {
            return in.read() < 0 ? -1 : 1;
        } catch (java.net.SocketTimeoutException e) {
            return 0;
        } catch (SocketException e) {
            return -1; // reset
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private int status(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(s.getInputStream());
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private int get(int port, String path) throws IOException {
        return status(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
}
