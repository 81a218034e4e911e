package io.listenq.collectors.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine: under CI=true (CI installs everything, .ci/run sets it) something missing
 * fails the test; elsewhere the test is skipped with the reason.
 */
public final class Tools {
    private Tools() {}

    /** The tool's path on the PATH; fails or skips the test when it is not there. */
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
        unavailable(name + " is not on the PATH (.ci/run installs it)");
        return null;
    }

    /** Fails the test under CI=true, skips it otherwise, saying {@code why}. */
    public static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.abort(why + "; skipping");
    }
}
