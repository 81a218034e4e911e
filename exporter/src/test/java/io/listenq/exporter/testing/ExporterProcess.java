package io.listenq.exporter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The exporter as users run it: the launcher of the runtime that {@code package} builds (target/listenq-exporter,
 * with the JVM options of src/main/runtime/jvm.options baked in and the AOT cache), optionally under a prefix
 * command such as {@code ip netns exec NAME} or {@code setpriv ...}. Integration tests only.
 */
public final class ExporterProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/listenq-exporter.jar");
    public static final Path RUNTIME = Path.of("target/listenq-exporter");
    public static final Path LAUNCHER = RUNTIME.resolve("bin/listenq-exporter");

    private final Process process;
    private final Path log;
    private final int port;

    private ExporterProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the exporter listening on 127.0.0.1:{@code port} (in whatever namespace the prefix puts it). */
    public static ExporterProcess start(List<String> prefix, int port, String... args) throws IOException {
        return start(prefix, LAUNCHER, Map.of(), port, args);
    }

    /** Starts the exporter through {@code launcher} (a copy of the runtime, say) with extra environment. */
    public static ExporterProcess startLauncher(Path launcher, Map<String, String> env, int port, String... args)
            throws IOException {
        return start(List.of(), launcher, env, port, args);
    }

    private static ExporterProcess start(
            List<String> prefix, Path launcher, Map<String, String> env, int port, String... args) throws IOException {
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher.toAbsolutePath() + " missing: run through mvn verify");
        }
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(launcher.toAbsolutePath().toString(), "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("listenq-exporter", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ExporterProcess(pb.start(), log, port);
    }

    /** The JVM options the exporter ships with (the runtime, unit and image read the same file). */
    public static final Path SHIPPED_JVM_OPTIONS = Path.of("src/main/runtime/jvm.options");

    /** Starts the exporter with exactly the shipped JVM options, on 127.0.0.1:{@code port}. */
    public static ExporterProcess startShipped(int port, String... args) throws IOException {
        List<String> options = Files.readAllLines(SHIPPED_JVM_OPTIONS).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        if (options.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            throw new IllegalStateException(SHIPPED_JVM_OPTIONS + " sets no heap: " + options);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of("-jar", JAR.toString(), "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("listenq-exporter", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ExporterProcess(p, log, port);
    }

    public static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /**
     * HTTP GET on 127.0.0.1 from the calling thread's network namespace: call it on a namespace's thread to reach
     * an exporter that runs inside that namespace. Returns the status line's code and the body.
     */
    public static Response get(int port, String path, String accept) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                            + (accept == null ? "" : "Accept: " + accept + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, headerEnd);
            int code = Integer.parseInt(head.substring(9, 12));
            return new Response(code, head, raw.substring(headerEnd + 4));
        }
    }

    public record Response(int code, String headers, String body) {}

    /** Waits until /-/ready answers 200 from the calling thread's namespace. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exporter exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (get(port, "/-/ready", null).code() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("exporter not ready after " + timeout + " (" + last + "):\n" + output(), last);
    }

    public MetricsText scrape() throws IOException {
        Response r = get(port, "/metrics", null);
        if (r.code() != 200) {
            throw new IOException("scrape returned " + r.code() + ": " + r.body());
        }
        return MetricsText.parse(r.body());
    }

    /** Open file descriptors of the exporter process (by /proc/PID/fd). */
    public int openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return (int) s.count();
        }
    }

    /** SIGTERM, then SIGKILL after 5 s. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
