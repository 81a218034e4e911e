package io.listenq.exporter.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (the distribution's binary) started for one test on 127.0.0.1, with its own temporary
 * configuration and TSDB directory, scraping one target as job {@value #JOB} (the job name the mixin's selector, the
 * documented scrape_config and the ServiceMonitor agree on) and evaluating one rules file, both every
 * {@code interval}. {@link #close()} stops it by its pid and deletes the directory.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String JOB = "listenq-exporter";

    /** One sample of an instant vector: its labels (with {@code __name__} when kept) and value. */
    public record Sample(Map<String, String> labels, double value) {}

    /** One entry of {@code /api/v1/alerts}: labels (alertname, severity and the series' labels), annotations, state. */
    public record Alert(Map<String, String> labels, Map<String, String> annotations, String state) {
        public String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts {@code binary} scraping {@code target} (host:port) and loading a copy of {@code rulesText}, with
     * {@code flags} added to its command line.
     */
    public static PrometheusServer start(
            Path binary, String target, String rulesText, Duration interval, String... flags) throws Exception {
        Path dir = Files.createTempDirectory("lq-prometheus");
        Files.writeString(dir.resolve("listenq.rules.yml"), rulesText);
        String seconds = interval.toMillis() + "ms";
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %s
                  scrape_timeout: %s
                  evaluation_interval: %s
                rule_files:
                  - listenq.rules.yml
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(seconds, seconds, seconds, JOB, target));
        int port = ExporterProcess.freePort();
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(p, dir, port);
        try {
            server.awaitReady(Duration.ofSeconds(30));
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready after " + timeout + ":\n" + log());
    }

    public String log() throws IOException {
        Path log = dir.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the API; returns {@code data} of a {@code "status":"success"} answer, else throws. */
    @SuppressWarnings("unchecked")
    private Object api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery);
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.get("status"))) {
            throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.get("data");
    }

    /** Instant query now; a scalar answer is one sample without labels. Throws on a PromQL error. */
    @SuppressWarnings("unchecked")
    public List<Sample> query(String promql) throws IOException, InterruptedException {
        Map<String, Object> data =
                (Map<String, Object>) api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String type = (String) data.get("resultType");
        if (type.equals("scalar")) {
            return List.of(new Sample(Map.of(), value((List<Object>) data.get("result"))));
        }
        if (!type.equals("vector")) {
            throw new IllegalStateException("result type " + type + " of " + promql);
        }
        List<Sample> out = new ArrayList<>();
        for (Object o : (List<Object>) data.get("result")) {
            Map<String, Object> s = (Map<String, Object>) o;
            out.add(new Sample(
                    (Map<String, String>) (Map<?, ?>) s.get("metric"), value((List<Object>) s.get("value"))));
        }
        return out;
    }

    private static double value(List<Object> timeAndValue) {
        return Double.parseDouble((String) timeAndValue.get(1)); // "NaN", "+Inf" parse too
    }

    /** The active (pending or firing) alerts. */
    @SuppressWarnings("unchecked")
    public List<Alert> alerts() throws IOException, InterruptedException {
        Map<String, Object> data = (Map<String, Object>) api("/api/v1/alerts");
        List<Alert> out = new ArrayList<>();
        for (Object o : (List<Object>) data.get("alerts")) {
            Map<String, Object> a = (Map<String, Object>) o;
            out.add(new Alert(
                    (Map<String, String>) (Map<?, ?>) a.get("labels"),
                    (Map<String, String>) (Map<?, ?>) a.get("annotations"),
                    (String) a.get("state")));
        }
        return out;
    }

    /** Health of each active target ("up", "down", "unknown"). */
    @SuppressWarnings("unchecked")
    public List<String> targetHealth() throws IOException, InterruptedException {
        Map<String, Object> data = (Map<String, Object>) api("/api/v1/targets?state=active");
        return ((List<Object>) data.get("activeTargets"))
                .stream()
                        .map(t -> (String) ((Map<String, Object>) t).get("health"))
                        .toList();
    }

    /** Rule groups as loaded: the number of alerting rules, to check the copy was read whole. */
    @SuppressWarnings("unchecked")
    public int alertingRuleCount() throws IOException, InterruptedException {
        Map<String, Object> data = (Map<String, Object>) api("/api/v1/rules?type=alert");
        int n = 0;
        for (Object g : (List<Object>) data.get("groups")) {
            n += ((List<Object>) ((Map<String, Object>) g).get("rules")).size();
        }
        return n;
    }

    /** Stops the server by its pid (SIGTERM, SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
