package io.listenq.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.deploy.DeployTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * House rule: a main source file has at most {@value #MAX_LINES} lines (a file that long does more than one
 * thing). It runs in every {@code mvn verify}, over every module's {@code src/main/java}, so a build with a
 * longer file fails, naming it.
 */
class SourceFileLengthTest {
    static final int MAX_LINES = 300;

    /**
     * Files known to be longer (or to become longer once the formatter runs), each to be split; listed by path
     * from the repository root. Do not add to this list: split the file.
     */
    private static final Set<String> KNOWN_OFFENDERS =
            Set.of("benchmarks/src/main/java/io/listenq/benchmarks/scenario/Report.java");

    @Test
    void mainSourceFilesHaveAtMost300Lines() throws IOException {
        Path root = DeployTools.repoRoot();
        Map<String, Long> tooLong = new TreeMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f :
                            files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        long lines;
                        try (Stream<String> l = Files.lines(f)) {
                            lines = l.count();
                        }
                        String rel = root.relativize(f).toString();
                        if (lines > MAX_LINES && !KNOWN_OFFENDERS.contains(rel)) {
                            tooLong.put(rel, lines);
                        }
                    }
                }
            }
        }
        assertThat(tooLong)
                .as("main source files over %d lines (split them)", MAX_LINES)
                .isEmpty();
    }
}
