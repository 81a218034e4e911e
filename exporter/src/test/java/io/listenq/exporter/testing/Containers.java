package io.listenq.exporter.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.collectors.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * What the container tests share: the checks that podman is usable (under CI=true a missing piece fails, elsewhere
 * the test is skipped with the reason), the exporter image built from the project's Dockerfile on the local Java
 * base with the podman CLI (Testcontainers' ImageFromDockerfile hangs on a base FROM nothing), and reading a
 * container's published ports and its process's {@code /proc/PID/status} on the host.
 */
public final class Containers {
    /** The base .ci/run builds with deploy/container/build-base-image.sh (glibc, busybox; no Java); no registry here. */
    public static final String BASE_IMAGE = "localhost/listenq-base:bookworm";
    /** The runtime's java inside the exporter image (the Dockerfile copies exporter/target/listenq-exporter there). */
    public static final String IMAGE_JAVA = "/usr/lib/listenq-exporter/bin/java";
    /**
     * Where a test mounts the exporter's runtime (read-only) into a container on the base image, to run a Java
     * program there: the base has no Java. Its java is {@link #MOUNTED_JAVA}.
     */
    public static final String RUNTIME_MOUNT = "/opt/listenq-runtime";

    public static final String MOUNTED_JAVA = RUNTIME_MOUNT + "/bin/java";

    /** The host directory to mount at {@link #RUNTIME_MOUNT}. */
    public static String runtimeDir() {
        return ExporterProcess.RUNTIME.toAbsolutePath().toString();
    }

    private Containers() {}

    /** Skips (or fails under CI=true) unless root, the podman CLI, the Docker API and the base image are there. */
    public static Path requirePodman() throws IOException {
        if (!TestNetns.isRoot()) {
            Assumptions.abort("container tests need root (rootful podman socket, host namespaces)");
        }
        Path podman = ExternalTool.require("podman");
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            Tools.unavailable("no Docker-compatible API at DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + ": start `podman system service --time=0 unix:///run/podman/podman.sock` (.ci/run does)");
        }
        if (run(List.of(podman.toString(), "image", "exists", BASE_IMAGE)).exitCode() != 0) {
            Tools.unavailable("image " + BASE_IMAGE
                    + " missing: build it with deploy/container/build-base-image.sh (.ci/run does)");
        }
        return podman;
    }

    /** Builds the Dockerfile at {@code repoRoot} (context: the exporter's runtime only, per .dockerignore); returns the tag. */
    public static String buildExporterImage(Path podman, Path repoRoot) throws IOException {
        if (!Files.isExecutable(repoRoot.resolve("exporter/target/listenq-exporter/bin/listenq-exporter"))) {
            throw new IllegalStateException("exporter/target/listenq-exporter missing: run through mvn verify");
        }
        String tag = "localhost/listenq-exporter:it-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Result r = run(List.of(
                podman.toString(),
                "build",
                "--quiet",
                "--build-arg",
                "BASE_IMAGE=" + BASE_IMAGE,
                "--file",
                repoRoot.resolve("Dockerfile").toString(),
                "--tag",
                tag,
                repoRoot.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("podman build failed:\n" + r.output());
        }
        return tag;
    }

    public static void removeImage(Path podman, String tag) throws IOException {
        run(List.of(podman.toString(), "rmi", "--force", tag));
    }

    /** The host port that container port {@code port}/tcp is published on. */
    public static int publishedPort(GenericContainer<?> c, int port) {
        Ports.Binding[] b = c.getContainerInfo()
                .getNetworkSettings()
                .getPorts()
                .getBindings()
                .get(ExposedPort.tcp(port));
        if (b == null || b.length == 0) {
            throw new IllegalStateException("port " + port + " not published: "
                    + c.getContainerInfo().getNetworkSettings().getPorts());
        }
        return Integer.parseInt(b[0].getHostPortSpec());
    }

    /** Host pid of the container's first process. */
    public static long hostPid(GenericContainer<?> c) {
        return c.getContainerInfo().getState().getPidLong();
    }

    /** A field of {@code /proc/PID/status} of a host process, e.g. "Uid" or "CapEff", without its name. */
    public static String status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    /** Output and exit code of a finished command. */
    public record Result(int exitCode, String output) {}

    /** Runs a command (stderr merged), waiting up to 2 minutes. */
    public static Result run(List<String> command) throws IOException {
        Path out = Files.createTempFile("lq-containers", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
