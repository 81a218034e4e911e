package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeFiles;
import io.listenq.collectors.testing.OpenFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four fds of {@link NetCounterFiles} on a fake /proc tree: raw fds, which nothing but {@code close()}
 * releases, so every path that gives them up is checked against /proc/self/fd.
 */
class NetCounterFilesTest {
    private static final String SOCKSTAT =
            "sockets: used 5\nTCP: inuse 2 orphan 0 tw 0 alloc 3 mem 0\n" + "UDP: inuse 1 mem 0\n";

    private static Path tree(Path root, String... files) throws IOException {
        Path net = root.resolve("1/net");
        Files.createDirectories(net);
        for (String name : files) {
            Files.writeString(net.resolve(name), name.startsWith("sockstat") ? SOCKSTAT : Fixtures.load(name));
        }
        return net;
    }

    @Test
    void withoutSockstat6TheOthersAreReadAndClosed(@TempDir Path root) throws IOException {
        tree(root, "netstat", "snmp", "sockstat");
        try (NetCounterFiles files = NetCounterFiles.open(root, "1")) {
            assertThat(OpenFiles.under(root)).isEqualTo(3);
            assertThat(files.tcpInUse()).isEqualTo(2);
            assertThat(files.nonIpSockets()).as("used less TCP and UDP inuse").isEqualTo(2);
            assertThat(files.snmpChanged()).isTrue();
            assertThat(files.snmpChanged()).as("the same bytes again").isFalse();
            assertThat(files.readNetstat(Fixtures.LISTEN_QUEUE).complete()).isFalse(); // PassiveOpens is snmp's
        }
        assertThat(OpenFiles.under(root)).isZero();
    }

    @Test
    void aFailedOpenClosesWhatItOpened(@TempDir Path root) throws IOException {
        Path net = tree(root, "netstat", "snmp");
        assertThatThrownBy(() -> NetCounterFiles.open(root, "1"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(net.resolve("sockstat").toString());
        assertThat(OpenFiles.under(root)).isZero();
    }

    /**
     * A second close must not close the fd numbers again: by then they belong to files opened since (the kernel
     * hands out the lowest free number), here four of the test's own, which must stay readable.
     */
    @Test
    void closeTwiceClosesOnce(@TempDir Path root) throws IOException {
        Path net = tree(root, "netstat", "snmp", "sockstat", "sockstat6");
        NetCounterFiles files = NetCounterFiles.open(root, "1");
        files.close();
        int[] later = new int[4];
        for (int i = 0; i < later.length; i++) {
            later[i] = NativeFiles.openRead(net.resolve("snmp"));
        }
        try {
            files.close();
            for (int fd : later) {
                assertThat(new ProcBytes(16).readWhole(fd, "snmp")).isPositive();
            }
            assertThatThrownBy(files::tcpInUse).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(files::snmpChanged).isInstanceOf(IllegalStateException.class);
        } finally {
            for (int fd : later) {
                Native.close(fd);
            }
        }
        assertThat(OpenFiles.under(root)).isZero();
    }
}
