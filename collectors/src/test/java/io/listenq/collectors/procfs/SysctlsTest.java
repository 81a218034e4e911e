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

class SysctlsTest {

    @TempDir
    Path sys;

    static List<Arguments> good() {
        return List.of(Arguments.of("4096\n", 4096L), Arguments.of("0", 0L), Arguments.of("  2 \n", 2L),
                Arguments.of("-1\n", -1L));
    }

    static List<Arguments> bad() {
        return List.of(Arguments.of("", 1, "empty"), Arguments.of("\n", 1, "empty"),
                Arguments.of("1 2\n", 1, "one integer"), Arguments.of("x\n", 1, "not a 64-bit"),
                Arguments.of("\n\n12a\n", 3, "not a 64-bit"),
                Arguments.of("99999999999999999999\n", 1, "not a 64-bit"));
    }

    @ParameterizedTest
    @MethodSource("good")
    void parsesOneInteger(String text, long expected) throws Exception {
        assertThat(Sysctls.parseInteger("f", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("bad")
    void rejectsAnythingElse(String text, int line, String problem) {
        assertThatThrownBy(() -> Sysctls.parseInteger("somaxconn", text))
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
    void readsTheFourFilesUnderAConfiguredRoot() throws Exception {
        write(Sysctls.SOMAXCONN, "4096\n");
        write(Sysctls.TCP_MAX_SYN_BACKLOG, "512\n");
        write(Sysctls.TCP_SYNCOOKIES, "1\n");
        write(Sysctls.TCP_ABORT_ON_OVERFLOW, "0\n");
        assertThat(Sysctls.read(sys)).isEqualTo(new Sysctls(4096, 512, 1, 0));
    }

    @Test
    void aMissingFileStaysNoSuchFile() throws Exception {
        write(Sysctls.SOMAXCONN, "4096\n");
        assertThatThrownBy(() -> Sysctls.read(sys)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("tcp_max_syn_backlog");
    }

    @Test
    void readsThisMachinesValues() throws Exception {
        Path procSys = Path.of("/proc/sys");
        Sysctls real = Sysctls.read(procSys);
        Process sysctl = new ProcessBuilder("sysctl", "-n", "net.core.somaxconn").start();
        long expected = Long.parseLong(new String(sysctl.getInputStream().readAllBytes()).strip());
        assertThat(sysctl.waitFor()).isZero();
        assertThat(real.somaxconn()).isEqualTo(expected); // the sysctl tool is the oracle, not another Java read
        assertThat(real.tcpSyncookies()).isBetween(0L, 2L);
    }
}
