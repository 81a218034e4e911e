package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One exporter process started through its launcher (target/listenq-exporter/bin/listenq-exporter: the shipped
 * runtime, JVM options and AOT cache, as users run it) on a free loopback port at --sample.interval=1s, timed from
 * the fork to its first 200 from /metrics and to /-/ready. {@link #close()} sends SIGTERM (the exporter's shutdown
 * hook closes the sampler), then SIGKILL after 5 s.
 */
final class Launch implements AutoCloseable {
    /** A first round can be slow: with 200,000 sockets on the host, each SYN-RECV dump walks them. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    final Process process;
    final int port;
    final double firstScrapeSeconds;
    final double readySeconds;

    private Launch(Process process, int port, double firstScrapeSeconds, double readySeconds) {
        this.process = process;
        this.port = port;
        this.firstScrapeSeconds = firstScrapeSeconds;
        this.readySeconds = readySeconds;
    }

    /**
     * @param javaOptions extra JVM options for the exporter (LISTENQ_JAVA_OPTIONS), "" for the shipped ones
     * @param name        names the log file in {@code logDir}
     */
    static Launch start(Path launcher, String javaOptions, String name, List<String> flags, Path logDir)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                launcher.toString(), "--netns=all", "--web.listen-address=127.0.0.1:" + port, "--sample.interval=1s"));
        command.addAll(flags);
        Path log = logDir.resolve("exporter-" + name + "-" + port + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LISTENQ_JAVA_OPTIONS", javaOptions);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            double first = Http.waitFor200(port, "/metrics", start, READY_TIMEOUT);
            double ready = Http.waitFor200(port, "/-/ready", start, READY_TIMEOUT);
            if (ready < 0) {
                throw new IOException(name + " exporter not ready within " + READY_TIMEOUT.toSeconds() + " s; log: "
                        + Files.readString(log));
            }
            return new Launch(p, port, first, ready);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
