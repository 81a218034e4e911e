package io.listenq.exporter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Finds a command-line tool a test needs: in CI (CI=true, which installs them) a missing tool fails the test. */
public final class ExternalTool {
    private ExternalTool() {
    }

    public static Path require(String name) {
        if (name.contains("/")) {
            throw new IllegalArgumentException("a tool name, not a path: " + name);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = name + " is not on the PATH (.ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail(why);
        }
        Assumptions.abort(why + "; skipping");
        return null;
    }

    /** {@code promtool check metrics} on an exposition: its lint output, empty when clean. */
    public static String promtoolCheckMetrics(String exposition) throws IOException, InterruptedException {
        Path promtool = require("promtool");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        return status == 0 ? output.strip() : "promtool exited " + status + ": " + output;
    }
}
