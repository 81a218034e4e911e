package io.listenq.exporter.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import io.listenq.exporter.testing.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Finds the repository root and runs the external tools (promtool, node, npm) that check the
 * files under {@code deploy/} and {@code grafana/}.
 *
 * <p>CI installs these tools, so there a missing tool fails the test; on a developer machine
 * without them the test is aborted (skipped) with the reason.
 */
public final class DeployTools {

    /** Output and exit code of a finished command. */
    record Result(List<String> command, int exitCode, String output) {
        String describe() {
            return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
        }
    }

    private DeployTools() {}

    /**
     * The repository root: the nearest directory at or above the working directory (Maven runs
     * tests in {@code exporter/}) that holds both {@code deploy/prometheus} and {@code grafana}.
     */
    public static Path repoRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))
                    && Files.isDirectory(dir.resolve("grafana/dashboards"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no repository root (with deploy/prometheus and grafana/dashboards) above " + start);
    }

    /** Fails under CI=true, aborts otherwise, when {@code tool} is not on the PATH. */
    static void requireTool(String tool) {
        ExternalTool.require(tool);
    }

    /** Runs {@code command} in {@code dir}, stderr merged into stdout; fails the test on timeout. */
    static Result run(Path dir, long timeoutSeconds, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        // Read on another thread so that a hung tool cannot block the test past its timeout.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(command, process.exitValue(), output.get(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + command, e);
        }
    }
}
