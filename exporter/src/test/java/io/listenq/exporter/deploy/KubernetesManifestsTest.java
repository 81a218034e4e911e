package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs deploy/kubernetes/check/validate.mjs (schema of each manifest plus the privilege policy
 * of docs/deployment.md) on the committed manifests, and on broken copies to show it can fail.
 */
class KubernetesManifestsTest {
    private static Path manifests;
    private static Path check;

    @TempDir
    Path tmp;

    @BeforeAll
    static void installChecker() throws IOException, InterruptedException {
        if (run(Path.of("."), "node", "--version").exitCode() != 0
                || run(Path.of("."), "npm", "--version").exitCode() != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("node and npm are needed on CI for the Kubernetes manifest check");
            }
            Assumptions.abort("node or npm is not installed");
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/kubernetes/check"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("deploy/kubernetes/check above the working directory")
                .isNotNull();
        manifests = dir.resolve("deploy/kubernetes");
        check = manifests.resolve("check");
        if (!Files.isDirectory(check.resolve("node_modules"))) {
            // The lock file pins versions and hashes; the registry is npm's configured one.
            Result install = run(check, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            assertThat(install.exitCode()).as(install.output()).isZero();
        }
    }

    @Test
    void committedManifestsPass() throws Exception {
        List<String> files;
        try (Stream<Path> list = Files.list(manifests)) {
            files = list.filter(p -> p.toString().endsWith(".yaml"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        Result result = validate(files);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "DaemonSet",
                        "Service",
                        "ServiceMonitor",
                        "Deployment",
                        "NetworkPolicy",
                        "PriorityClass",
                        "Secret listenq-exporter-web-config");
    }

    /** Broken copies: file, text replaced, its replacement, what the check must say. */
    static Stream<Arguments> brokenCopies() {
        return Stream.of(
                Arguments.of(
                        "daemonset.yaml",
                        "containerPort: 9469",
                        "containerPort: \"metrics\"",
                        "containerPort must be integer"),
                Arguments.of(
                        "daemonset.yaml",
                        "add: [\"SYS_ADMIN\", \"SYS_PTRACE\"]",
                        "add: [\"SYS_ADMIN\", \"SYS_PTRACE\", \"NET_ADMIN\"]",
                        "capabilities.add"),
                Arguments.of(
                        "daemonset.yaml",
                        "            - --web.config.file=",
                        "            - --web.config=",
                        "--web.config.file"),
                Arguments.of("sidecar-example.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot"),
                Arguments.of("sidecar-example.yaml", "livenessProbe:", "readinessProbe:", "no readinessProbe"),
                Arguments.of("servicemonitor.yaml", "  jobLabel: app.kubernetes.io/name\n", "", "jobLabel"));
    }

    @ParameterizedTest
    @MethodSource("brokenCopies")
    void brokenCopyIsCaught(String name, String from, String to, String message) throws Exception {
        String text = Files.readString(manifests.resolve(name));
        assertThat(text).contains(from);
        Path copy = tmp.resolve(name);
        Files.writeString(copy, text.replace(from, to));
        Result result = validate(List.of(copy.toString()));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains(message);
    }

    private static Result validate(List<String> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        command.addAll(files);
        return run(check, command.toArray(String[]::new));
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException notInstalled) {
            return new Result(127, notInstalled.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output);
    }
}
