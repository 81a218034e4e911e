package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SysctlTest {

    @TempDir
    Path sys;

    static List<Arguments> good() {
        return List.of(
                Arguments.of("4096\n", 4096L),
                Arguments.of("0", 0L),
                Arguments.of("  2 \n", 2L),
                Arguments.of("-1\n", -1L));
    }

    static List<Arguments> bad() {
        return List.of(
                Arguments.of("", 1, "empty"),
                Arguments.of("\n", 1, "empty"),
                Arguments.of("1 2\n", 1, "one integer"),
                Arguments.of("x\n", 1, "not a 64-bit"),
                Arguments.of("\n\n12a\n", 3, "not a 64-bit"),
                Arguments.of("99999999999999999999\n", 1, "not a 64-bit"));
    }

    @ParameterizedTest
    @MethodSource("good")
    void parsesOneInteger(String text, long expected) throws Exception {
        assertThat(Sysctl.parse("f", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("bad")
    void rejectsAnythingElse(String text, int line, String problem) {
        assertThatThrownBy(() -> Sysctl.parse("somaxconn", text))
                .isInstanceOfSatisfying(ProcfsFormatException.class, e -> {
                    assertThat(e.source()).isEqualTo("somaxconn");
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.problem()).contains(problem);
                });
    }

    private void write(String rel, String content) throws Exception {
        Files.createDirectories(sys.resolve(rel).getParent());
        Files.writeString(sys.resolve(rel), content);
    }

    @Test
    void readsEachFileUnderAConfiguredRoot() throws Exception {
        write(Sysctl.SOMAXCONN.path(), "4096\n");
        write(Sysctl.TCP_MAX_SYN_BACKLOG.path(), "512\n");
        assertThat(Sysctl.SOMAXCONN.read(sys)).isEqualTo(4096);
        assertThat(Sysctl.TCP_MAX_SYN_BACKLOG.read(sys)).isEqualTo(512);
    }

    @Test
    void aMissingFileStaysNoSuchFile() throws Exception {
        write(Sysctl.SOMAXCONN.path(), "4096\n");
        assertThatThrownBy(() -> Sysctl.TCP_SYNCOOKIES.read(sys))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("tcp_syncookies");
    }

    @Test
    void readsThisMachinesValues() throws Exception {
        Path procSys = Path.of("/proc/sys");
        for (Sysctl s : Sysctl.values()) {
            Process sysctl = new ProcessBuilder("sysctl", "-n", s.dottedName()).start();
            long expected = Long.parseLong(new String(sysctl.getInputStream().readAllBytes()).strip());
            assertThat(sysctl.waitFor()).isZero();
            // the sysctl tool is the oracle, not another Java read
            assertThat(s.read(procSys)).as(s.dottedName()).isEqualTo(expected);
        }
    }
}
