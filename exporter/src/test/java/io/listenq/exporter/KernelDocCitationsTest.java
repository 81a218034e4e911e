package io.listenq.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.deploy.DeployTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every {@code kernel.md §N} cited in the sources, docs and README names a section docs/kernel.md has. */
class KernelDocCitationsTest {
    private static final Pattern CITATION = Pattern.compile("kernel\\.md\\)?((?:,? ?§\\d+)+)");
    private static final Pattern SECTION = Pattern.compile("§(\\d+)");

    @Test
    void everyCitedSectionExists() throws IOException {
        Path root = DeployTools.repoRoot();
        Set<String> sections = Files.readAllLines(root.resolve("docs/kernel.md")).stream()
                .filter(l -> l.matches("## \\d+\\. .*"))
                .map(l -> l.substring(3, l.indexOf('.')))
                .collect(Collectors.toSet());
        Set<String> dangling = new TreeSet<>();
        int citations = 0;
        for (String top : List.of("README.md", "docs", "collectors/src", "exporter/src", "benchmarks/src", "deploy")) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root.resolve(top))) {
                files = walk.filter(KernelDocCitationsTest::cites).toList();
            }
            for (Path f : files) {
                Matcher m = CITATION.matcher(Files.readString(f));
                while (m.find()) {
                    Matcher s = SECTION.matcher(m.group(1));
                    while (s.find()) {
                        citations++;
                        if (!sections.contains(s.group(1))) {
                            dangling.add(root.relativize(f) + ": §" + s.group(1));
                        }
                    }
                }
            }
        }
        assertThat(citations).as("citations found").isGreaterThan(10);
        assertThat(dangling).as("citations of sections docs/kernel.md lacks").isEmpty();
    }

    private static boolean cites(Path p) {
        String s = p.toString();
        return !s.contains("node_modules") && (s.endsWith(".java") || s.endsWith(".md")) && Files.isRegularFile(p);
    }
}
