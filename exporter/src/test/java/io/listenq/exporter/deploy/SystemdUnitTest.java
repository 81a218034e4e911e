package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks deploy/systemd/listenq-exporter.service with systemd's own tools, which work on unit
 * files without a running systemd: {@code systemd-analyze verify} for syntax and
 * {@code systemd-analyze security --offline=true} for the exposure score.
 */
class SystemdUnitTest {
    private static final String UNIT = "listenq-exporter.service";
    private static final double MAX_EXPOSURE = 2.0;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

    private static Path unit;

    @TempDir
    Path tmp;

    @BeforeAll
    static void locate() throws IOException, InterruptedException {
        if (run("systemd-analyze", "--version").exitCode() != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("systemd-analyze is missing on CI (install Debian's systemd package)");
            }
            Assumptions.abort("systemd-analyze is not installed");
        }
        // Surefire runs in the module directory; the unit lives at the repository root.
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/systemd").resolve(UNIT))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("deploy/systemd/%s above the working directory", UNIT)
                .isNotNull();
        unit = dir.resolve("deploy/systemd").resolve(UNIT);
    }

    @Test
    void verifyReportsNothing() throws Exception {
        Result result = run(
                "systemd-analyze",
                "verify",
                installedCopy(Files.readString(unit)).toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.complaintsAbout(UNIT)).as(result.output()).isEmpty();
    }

    @Test
    void verifyCatchesABadSetting() throws Exception {
        // The oracle must be able to fail: an invalid value is only a warning (exit code 0).
        String broken = Files.readString(unit).replace("ProtectSystem=strict", "ProtectSystem=bogus");
        Result result = run("systemd-analyze", "verify", installedCopy(broken).toString());
        assertThat(result.complaintsAbout(UNIT)).anyMatch(line -> line.contains("bogus"));
    }

    @Test
    void exposureScoreIsAtMostTwo() throws Exception {
        Result result = run("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString());
        Matcher m = EXPOSURE.matcher(result.output());
        assertThat(m.find()).as(result.output()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(result.output()).isLessThanOrEqualTo(MAX_EXPOSURE);
    }

    @Test
    void hardeningKeepsWhatTheNamespaceModeNeeds() throws IOException {
        // A better score is easy to get by breaking the exporter; these settings guard against it.
        String text = Files.readString(unit);
        assertThat(values(text, "CapabilityBoundingSet")).containsExactlyInAnyOrder("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        assertThat(values(text, "AmbientCapabilities")).containsExactlyInAnyOrder("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        assertThat(values(text, "RestrictNamespaces")).containsExactly("net");
        assertThat(values(text, "SystemCallFilter")).contains("setns");
        assertThat(values(text, "RestrictAddressFamilies")).contains("AF_NETLINK", "AF_INET", "AF_INET6");
        // JIT code cache is writable and executable; capabilities in a private user ns are useless.
        assertThat(values(text, "MemoryDenyWriteExecute")).doesNotContain("yes", "true");
        assertThat(values(text, "PrivateUsers")).doesNotContain("yes", "true");
        assertThat(values(text, "ProcSubset")).doesNotContain("pid");
        // The launcher of the exporter's own runtime (JVM options baked in), not a java from PATH.
        assertThat(values(text, "ExecStart")).containsExactly("/usr/bin/listenq-exporter", "$ARGS");
        assertThat(text).doesNotContain("JDK_JAVA_OPTIONS");
    }

    /**
     * The unit as installed on a host, except that ExecStart names this JVM's java: verify
     * rejects a command that does not exist, and the package's launcher is not installed here.
     */
    private Path installedCopy(String text) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path copy = tmp.resolve(UNIT);
        Files.writeString(copy, text.replace("ExecStart=/usr/bin/listenq-exporter ", "ExecStart=" + java + " "));
        return copy;
    }

    /** All values of a directive, split on whitespace; assignments accumulate as in systemd. */
    private static Set<String> values(String text, String key) {
        return text.lines()
                .filter(line -> line.startsWith(key + "="))
                .flatMap(line ->
                        Arrays.stream(line.substring(key.length() + 1).trim().split("\\s+")))
                .filter(word -> !word.isEmpty())
                .collect(Collectors.toSet());
    }

    private record Result(int exitCode, String output) {
        List<String> complaintsAbout(String unitName) {
            return output.lines().filter(line -> line.contains(unitName)).toList();
        }
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return new Result(127, notInstalled.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output);
    }
}
