package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain GETs against 127.0.0.1 from the runner, timed. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    record Response(int status, byte[] body, double seconds, String contentType) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Http() {}

    static Response get(int port, String path) throws IOException, InterruptedException {
        return get(port, path, Encoding.PLAIN);
    }

    /** The body is returned as sent (compressed when gzip was asked for and given). */
    static Response get(int port, String path, Encoding encoding) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (encoding.header != null) {
            b.header(encoding.header, encoding.value);
        }
        HttpRequest request = b.build();
        long t = System.nanoTime();
        HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(
                r.statusCode(),
                r.body(),
                (System.nanoTime() - t) / 1e9,
                r.headers().firstValue("Content-Type").orElse(""));
    }

    /** Polls {@code path} until it answers 200; returns the seconds from {@code startNanos}, or -1 on timeout. */
    static double waitFor200(int port, String path, long startNanos, Duration timeout) throws InterruptedException {
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, path).status() == 200) {
                    return (System.nanoTime() - startNanos) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        return -1;
    }
}
