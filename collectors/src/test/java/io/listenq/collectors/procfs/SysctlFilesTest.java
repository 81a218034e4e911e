package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.OpenFiles;
import io.listenq.collectors.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysctl files a namespace keeps open: read again from any thread, they keep reading that namespace. */
class SysctlFilesTest {
    /**
     * docs/kernel.md §7: a /proc/sys/net file opened inside a namespace resolves to that namespace's table at open
     * time and keeps reading it after the opening thread is elsewhere, including later changes; the same path
     * opened from here reads this namespace. {@code sysctl -n} inside the namespace is the oracle.
     */
    @Test
    void aFileOpenedInsideKeepsReadingThatNamespaceFromHere() throws Exception {
        TestNetns.assumeRootWithIproute();
        Path procSys = Path.of("/proc/sys");
        long hostValue = Sysctl.SOMAXCONN.read(procSys);
        long first = hostValue + 1 + ThreadLocalRandom.current().nextInt(1000);
        try (TestNetns ns = TestNetns.create("lq-sysctlfd");
                SysctlFiles files = ns.call(() -> new SysctlFiles(procSys))) {
            ns.sysctl("net.core.somaxconn", Long.toString(first));
            assertThat(files.needsOpen()).isTrue();
            ns.call(() -> files.read(Sysctl.SOMAXCONN)); // opened on the namespace's thread
            assertThat(files.read(Sysctl.SOMAXCONN))
                    .as("read from the test thread, in the host namespace")
                    .isEqualTo(first)
                    .isEqualTo(Long.parseLong(
                            ns.exec("sysctl", "-n", "net.core.somaxconn").strip()));
            assertThat(Sysctl.SOMAXCONN.read(procSys))
                    .as("the path opened here")
                    .isEqualTo(hostValue);

            ns.sysctl("net.core.somaxconn", Long.toString(first + 1));
            assertThat(files.read(Sysctl.SOMAXCONN))
                    .as("a change is seen through the kept file")
                    .isEqualTo(first + 1);
            assertThat(Sysctl.SOMAXCONN.read(procSys)).isEqualTo(hostValue);
        }
    }

    @Test
    void aFileThatFailsIsClosedAndOpenedAgain(@TempDir Path sys) throws Exception {
        Path file = sys.resolve(Sysctl.SOMAXCONN.path());
        Files.createDirectories(file.getParent());
        try (SysctlFiles files = new SysctlFiles(sys)) {
            Files.writeString(file, "x\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.read(Sysctl.SOMAXCONN))
                    .isInstanceOf(ProcfsFormatException.class);
            assertThat(OpenFiles.under(sys)).as("closed when it failed").isZero();
            Files.delete(file);
            Files.writeString(file, "128\n"); // a new file: only a reopen sees it
            assertThat(files.read(Sysctl.SOMAXCONN)).isEqualTo(128);
            Files.writeString(file, "129\n");
            assertThat(files.read(Sysctl.SOMAXCONN))
                    .as("pread from 0 on the kept file")
                    .isEqualTo(129);
            assertThat(OpenFiles.under(sys)).isEqualTo(1);
            files.close();
            assertThat(OpenFiles.under(sys)).isZero();
            assertThat(files.needsOpen()).isTrue();
            assertThat(files.read(Sysctl.SOMAXCONN))
                    .as("opened again after close")
                    .isEqualTo(129);
        }
        assertThat(OpenFiles.under(sys)).isZero();
    }
}
