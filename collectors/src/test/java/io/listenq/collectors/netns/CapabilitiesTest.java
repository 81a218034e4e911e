package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.procfs.ProcfsFormatException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static String fixture() throws Exception {
        try (InputStream in = CapabilitiesTest.class.getResourceAsStream("/netns/status-root")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void parsesCapEffOfARealStatusFile() throws Exception {
        String status = fixture();
        String hex = status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().split("\\s+")[1];

        Capabilities caps = Capabilities.parseStatus("status-root", status);

        assertThat(caps.effective()).isEqualTo(Long.parseUnsignedLong(hex, 16));
        assertThat(caps.has(Capabilities.CAP_SYS_ADMIN)).isTrue();
        assertThat(caps.has(Capabilities.CAP_SYS_PTRACE)).isTrue();
        assertThat(caps.missingForOtherNamespaces()).isEmpty();
    }

    @Test
    void namesTheMissingOnes() throws Exception {
        long adminOnly = 1L << Capabilities.CAP_SYS_ADMIN;
        assertThat(Capabilities.parseStatus("s", "Name:\tx\nCapEff:\t" + Long.toHexString(adminOnly) + "\n")
                .missingForOtherNamespaces()).containsExactly("CAP_SYS_PTRACE");
        assertThat(Capabilities.parseStatus("s", "CapEff:\t0000000000000000\n").missingForOtherNamespaces())
                .containsExactly("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        assertThat(Capabilities.parseStatus("s", "CapEff:\tffffffffffffffff\n").has(63)).isTrue();
    }

    @Test
    void rejectsMissingOrGarbledCapEff() {
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "Name:\tx\nCapPrm:\t0\n"))
                .isInstanceOfSatisfying(ProcfsFormatException.class, e -> assertThat(e.problem()).contains("no CapEff"));
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "Name:\tx\nCapEff:\tzz\n"))
                .isInstanceOfSatisfying(ProcfsFormatException.class, e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "CapEff:\t1ffffffffffffffff\n"))
                .isInstanceOf(ProcfsFormatException.class);
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "CapEff:\n"))
                .isInstanceOf(ProcfsFormatException.class);
    }

    @Test
    void readsThisProcess() throws Exception {
        assertThat(Capabilities.readSelf(Path.of("/proc")).effective())
                .isEqualTo(Capabilities.parseStatus("x", java.nio.file.Files.readString(Path.of("/proc/self/status")))
                        .effective());
    }
}
