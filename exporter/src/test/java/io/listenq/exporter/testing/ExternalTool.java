package io.listenq.exporter.testing;

import io.listenq.collectors.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Finds a command-line tool a test needs: in CI (CI=true, which installs them) a missing tool fails the test. */
public final class ExternalTool {
    private ExternalTool() {}

    /** See {@link Tools#require}: fails under CI=true, skips otherwise, when the tool is missing. */
    public static Path require(String name) {
        return Tools.require(name);
    }

    /** {@code promtool check metrics} on an exposition: its lint output, empty when clean. */
    public static String promtoolCheckMetrics(String exposition) throws IOException, InterruptedException {
        Path promtool = require("promtool");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        return status == 0 ? output.strip() : "promtool exited " + status + ": " + output;
    }
}
