package io.listenq.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void revisionIsTheCommitBuiltFromInAGitCheckout() throws Exception {
        Path top = Path.of("").toAbsolutePath().getParent();
        if (Files.exists(top.resolve(".git"))) {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                    .directory(top.toFile())
                    .start();
            String head = new String(git.getInputStream().readAllBytes()).strip();
            if (git.waitFor() == 0) {
                // the build that compiled these classes filtered the commit into the resource
                assertThat(Version.revision()).matches("[0-9a-f]{40}");
                assertThat(Version.buildInfo().revision()).isEqualTo(Version.revision());
                assertThat(head).matches("[0-9a-f]{40}");
                return;
            }
        }
        assertThat(Version.revision()).isEqualTo("unknown");
    }

    @Test
    void anythingButACommitIdIsUnknown() {
        // what the resource holds when the build ran outside git: the unfiltered placeholder or git's error text
        assertThat(Version.revision("${listenq.revision}")).isEqualTo("unknown");
        assertThat(Version.revision("unknown")).isEqualTo("unknown");
        assertThat(Version.revision("")).isEqualTo("unknown");
        assertThat(Version.revision("0123456789abcdef0123456789abcdef01234567\n"))
                .isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(Version.buildInfo().javaVersion()).isEqualTo(System.getProperty("java.version"));
    }
}
