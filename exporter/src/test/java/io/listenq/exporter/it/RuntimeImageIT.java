package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.JvmOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/listenq-exporter as {@code mvn package} builds it: a jlink runtime of exactly the modules jdeps finds in
 * the jar, the options of jvm.options baked in, an AOT cache the launcher uses, and a launcher that needs no Java on
 * PATH, execs the JVM (one process) and starts even when the cache is missing or corrupt.
 */
class RuntimeImageIT {
    private static final Path RUNTIME = ExporterProcess.RUNTIME.toAbsolutePath();
    private static final Path CACHE = RUNTIME.resolve("lib/listenq-exporter.aot");

    @TempDir
    Path tmp;

    @Test
    void runtimeHoldsOnlyTheModulesJdepsFinds() throws Exception {
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Run found = run(
                Map.of(),
                jdeps.toString(),
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                "25",
                ExporterProcess.JAR.toString());
        assertThat(found.status()).as(found.output()).isZero();
        TreeSet<String> expected = closure(found.output().strip().split(","));
        Run listed = run(Map.of(), RUNTIME.resolve("bin/java").toString(), "--list-modules");
        TreeSet<String> actual = new TreeSet<>(
                listed.output().lines().map(l -> l.replaceAll("@.*", "")).toList());
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void jvmOptionsFileIsBakedIn() throws Exception {
        Run flags = run(Map.of(), RUNTIME.resolve("bin/java").toString(), "-XX:+PrintFlagsFinal", "-version");
        List<String> options = JvmOptions.shipped();
        assertThat(options).isNotEmpty();
        for (String option : options) {
            if (option.startsWith("-XX:+") || option.startsWith("-XX:-")) {
                String name = option.substring(5);
                String value = option.charAt(4) == '+' ? "true" : "false";
                assertThat(flags.output()).containsPattern("\\b" + name + "\\s+= " + value + "\\s");
            } else if (option.startsWith("-XX:") && option.contains("=")) {
                String name = option.substring(4, option.indexOf('='));
                long value = JvmOptions.bytes(option.substring(option.indexOf('=') + 1));
                assertThat(flags.output()).containsPattern("\\b" + name + "\\s+= " + value + "\\s");
            } else if (option.startsWith("-Xmx") || option.startsWith("-Xms")) {
                String name = option.startsWith("-Xmx") ? "MaxHeapSize" : "InitialHeapSize";
                assertThat(flags.output())
                        .containsPattern("\\b" + name + "\\s+= " + JvmOptions.bytes(option.substring(4)) + "\\s");
            }
        }
        assertThat(flags.output()).doesNotContain("Picked up");
    }

    @Test
    void launcherNeedsNoJavaOnPath() throws Exception {
        // Only readlink on PATH: the launcher's one external command.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.copy(Path.of(which("readlink")), bin.resolve("readlink"), StandardCopyOption.COPY_ATTRIBUTES);
        Run version = run(
                Map.of("PATH", bin.toString()),
                ExporterProcess.LAUNCHER.toAbsolutePath().toString(),
                "--version");
        assertThat(version.status()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("listenq-exporter ").contains("java 25");
    }

    @Test
    void unknownFlagIsOneLineAndExit2() throws Exception {
        Run bad = run(Map.of(), ExporterProcess.LAUNCHER.toAbsolutePath().toString(), "--no-such-flag=1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.output().lines().toList()).hasSize(1).first().asString().contains("--no-such-flag");
    }

    @Test
    void portInUseIsOneLineWithoutAJavalinError() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run run = run(
                    Map.of(),
                    ExporterProcess.LAUNCHER.toAbsolutePath().toString(),
                    "--netns=self",
                    "--web.listen-address=127.0.0.1:" + taken.getLocalPort());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.output().lines().toList())
                    .as(run.output())
                    .hasSize(1)
                    .first()
                    .asString()
                    .startsWith("listenq-exporter: cannot start: ")
                    .contains("in use");
        }
    }

    @Test
    void launcherExecsTheJvmAndUsesTheAotCache() throws Exception {
        assertThat(CACHE).as("the training run made an AOT cache").isNotEmptyFile();
        int port = ExporterProcess.freePort();
        Map<String, String> env = Map.of("LISTENQ_JAVA_OPTIONS", "-Xlog:class+load=info");
        try (var p = new Started(RUNTIME, env, port)) {
            p.exporter.awaitReady(Duration.ofSeconds(60));
            // exec: the launched process is the JVM itself, so SIGTERM from a service manager reaches it.
            Path exe = Path.of("/proc/" + p.exporter.pid() + "/exe").toRealPath();
            assertThat(exe).isEqualTo(RUNTIME.resolve("bin/java").toRealPath());
            assertThat(p.exporter.output())
                    .containsPattern("io\\.listenq\\.exporter\\.Main source: shared objects file")
                    // Nothing the exporter serves needs JMX's MBean server (which brings java.util.logging and JFR's
                    // diagnostic commands): neither the start nor the training run brings it up (SelfMetrics,
                    // JettyCacheLine), so the cache holds none of it.
                    .doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ", "jdk.jfr.internal.dcmd.");
            assertThat(p.exporter.stop()).isEqualTo(143);
        }
    }

    @Test
    void nativeMemoryFamiliesWithNativeMemoryTracking() throws Exception {
        int port = ExporterProcess.freePort();
        Map<String, String> env = Map.of("LISTENQ_JAVA_OPTIONS", "-XX:NativeMemoryTracking=summary");
        try (var p = new Started(RUNTIME, env, port)) {
            p.exporter.awaitReady(Duration.ofSeconds(60));
            assertThat(p.exporter.scrape().value("jvm_native_memory_committed_bytes", "pool", "Total"))
                    .isPositive();
        }
    }

    @Test
    void corruptAotCacheIsCheckedAndLeftOut() throws Exception {
        Path copy = copyRuntime();
        Path cache = copy.resolve("lib/listenq-exporter.aot");
        try (var f = java.nio.channels.FileChannel.open(cache, java.nio.file.StandardOpenOption.WRITE)) {
            // Garbage in the middle of the mapped class data: without a checksum the JVM would crash on it.
            byte[] junk = new byte[4096];
            Arrays.fill(junk, (byte) 0xff);
            f.write(java.nio.ByteBuffer.wrap(junk), Files.size(cache) / 3);
        }
        startsAndAnswers(copy, "the corrupt cache");
    }

    @Test
    void missingOrTruncatedAotCacheIsNoObstacle() throws Exception {
        Path copy = copyRuntime();
        Path cache = copy.resolve("lib/listenq-exporter.aot");
        try (var f = java.nio.channels.FileChannel.open(cache, java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(100_000);
        }
        startsAndAnswers(copy, "a truncated cache");
        Files.delete(cache);
        startsAndAnswers(copy, "no cache");
    }

    private void startsAndAnswers(Path runtime, String what) throws Exception {
        int port = ExporterProcess.freePort();
        try (var p = new Started(runtime, Map.of(), port)) {
            p.exporter.awaitReady(Duration.ofSeconds(60));
            assertThat(p.exporter.scrape().value("listenq_netns")).as(what).isEqualTo(1);
            assertThat(p.exporter.output()).as(what).doesNotContain("fatal error", "hs_err");
        }
    }

    /** A copy of the runtime (the cache may be spoiled there without touching the build's). */
    private Path copyRuntime() throws IOException {
        Path copy = tmp.resolve("runtime");
        try (Stream<Path> all = Files.walk(RUNTIME)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = copy.resolve(RUNTIME.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /** The exporter started through the launcher of {@code runtime} in this namespace, --netns=self. */
    private static final class Started implements AutoCloseable {
        final ExporterProcess exporter;

        Started(Path runtime, Map<String, String> env, int port) throws IOException {
            exporter =
                    ExporterProcess.startLauncher(runtime.resolve("bin/listenq-exporter"), env, port, "--netns=self");
        }

        @Override
        public void close() throws IOException {
            exporter.close();
        }
    }

    /** The modules and everything they require, as jlink resolves them. */
    private static TreeSet<String> closure(String[] roots) {
        TreeSet<String> all = new TreeSet<>();
        List<String> todo = new ArrayList<>(Arrays.asList(roots));
        while (!todo.isEmpty()) {
            String name = todo.removeLast();
            if (all.add(name)) {
                java.lang.module.ModuleFinder.ofSystem()
                        .find(name)
                        .orElseThrow()
                        .descriptor()
                        .requires()
                        .forEach(r -> todo.add(r.name()));
            }
        }
        return all;
    }

    private static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        throw new IllegalStateException(tool + " not on PATH");
    }

    record Run(int status, String output) {}

    static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), out);
    }
}
