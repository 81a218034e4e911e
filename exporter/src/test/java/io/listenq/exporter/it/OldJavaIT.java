package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ExporterProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar listenq-exporter.jar} on Java 17 (Debian's default java, what a new user has on PATH): one line
 * saying what to do, exit status 1, no UnsupportedClassVersionError. The jar's Main-Class is compiled for release 8.
 */
class OldJavaIT {
    @Test
    void java17GetsOneLineAndExit1() throws Exception {
        Path java17 = java17();
        RuntimeImageIT.Run run = RuntimeImageIT.run(
                Map.of(),
                java17.toString(),
                "-jar",
                ExporterProcess.JAR.toString(),
                "--web.listen-address=127.0.0.1:0");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output().lines().toList())
                .containsExactly(
                        "listenq-exporter needs Java 25 or newer, this is Java 17: use bin/listenq-exporter or set JAVA_HOME");
    }

    private static Path java17() throws IOException {
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            var found = jvms.filter(d -> d.getFileName().toString().matches(".*-17-.*|openjdk-17"))
                    .map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // no /usr/lib/jvm at all: handled below like a missing Java 17
        }
        String why = "no Java 17 under /usr/lib/jvm (.ci/run installs openjdk-17-jre-headless)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.abort(why + "; skipping");
        return null;
    }
}
