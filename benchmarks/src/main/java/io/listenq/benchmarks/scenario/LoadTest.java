package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent scrapers: wrk with one keep-alive connection per scraper, each sending its next request as soon as
 * the previous answer arrived. wrk is C and cheap, so on two cores it takes less from the exporter than a JVM
 * client would. Latencies come from wrk's --latency distribution.
 */
final class LoadTest {
    record Result(
            int scrapers,
            Encoding encoding,
            double seconds,
            long requests,
            long non2xx,
            double p50,
            double p99,
            double requestsPerSecond) {}

    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s*(50|99)%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private LoadTest() {}

    /** {@code encoding}: the header a scraper sends (Accept-Encoding: gzip as Prometheus does, or protobuf). */
    static Result run(int port, String path, int scrapers, Duration duration, Encoding encoding)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "wrk", "-t2", "-c" + scrapers, "-d" + duration.toSeconds() + "s", "--latency", "--timeout", "10s"));
        if (encoding.header != null) {
            command.addAll(List.of("-H", encoding.header + ": " + encoding.value));
        }
        command.add("http://127.0.0.1:" + port + path);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        return parse(out, scrapers, encoding, duration.toSeconds());
    }

    static Result parse(String out, int scrapers, Encoding encoding, double seconds) throws IOException {
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PERCENTILE.matcher(out);
        while (m.find()) {
            double v = seconds(Double.parseDouble(m.group(2)), m.group(3));
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        Matcher req = REQUESTS.matcher(out);
        Matcher rps = RPS.matcher(out);
        if (Double.isNaN(p99) || !req.find() || !rps.find()) {
            throw new IOException("cannot read wrk output: " + out);
        }
        Matcher bad = NON_2XX.matcher(out);
        return new Result(
                scrapers,
                encoding,
                seconds,
                Long.parseLong(req.group(1)),
                bad.find() ? Long.parseLong(bad.group(1)) : 0,
                p50,
                p99,
                Double.parseDouble(rps.group(1)));
    }

    private static double seconds(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1e6;
            case "ms" -> value / 1e3;
            case "m" -> value * 60;
            default -> value;
        };
    }
}
