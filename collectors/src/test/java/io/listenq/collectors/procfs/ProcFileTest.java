package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFileTest {
    /**
     * The regression this class exists for: Files.readString read "4" from a somaxconn of 4096, because sysctl
     * files answer a second read at offset 1 with EOF. The oracle is the sysctl tool.
     */
    @Test
    void readsWholeSysctlValues() throws Exception {
        Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
        Process p = new ProcessBuilder("sysctl", "-n", "net.core.somaxconn").start();
        String expected = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(ProcFile.read(somaxconn).strip()).isEqualTo(expected);
        assertThat(Sysctl.SOMAXCONN.read(Path.of("/proc/sys"))).isEqualTo(Long.parseLong(expected));
    }

    @Test
    void readsSeqFilesLargerThanOnePage(@TempDir Path dir) throws IOException {
        String big = "x".repeat(100_000) + "\n";
        Path f = dir.resolve("big");
        Files.writeString(f, big);
        assertThat(ProcFile.read(f)).isEqualTo(big);
        assertThat(ProcFile.read(Path.of("/proc/self/net/netstat")))
                .startsWith("TcpExt:")
                .endsWith("\n");
    }

    @Test
    void openFilesAreReadAgainFromTheStart() throws Exception {
        try (NetCounterFiles files = NetCounterFiles.open(Path.of("/proc"), ProcNet.THREAD_SELF)) {
            SelectedCounters first = files.read(Fixtures.LISTEN_QUEUE);
            SelectedCounters second = files.read(Fixtures.LISTEN_QUEUE);
            assertThat(first.complete()).isTrue();
            assertThat(second.complete()).isTrue();
            // PassiveOpens never goes down: the second read regenerated the text rather than hitting EOF
            assertThat(Long.compareUnsigned(
                            second.get(CounterKey.PASSIVE_OPENS).getAsLong(),
                            first.get(CounterKey.PASSIVE_OPENS).getAsLong()))
                    .isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void missingFileStaysDistinguishable(@TempDir Path dir) {
        assertThatThrownBy(() -> ProcFile.read(dir.resolve("gone"))).isInstanceOf(NoSuchFileException.class);
    }
}
