package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.NetnsId;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery over a fake procfs: regular files stand in for nsfs files, symlinks for the magic
 * {@code ns/net} links and bind mounts; following a symlink yields the target's (dev, ino) as stat does.
 */
class NetnsDiscoveryFakeTreeTest {

    private static final String CID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    Path proc;
    Path nsfs;
    Path ipNetns;
    Path dockerNetns;

    @BeforeEach
    void tree() throws IOException {
        proc = Files.createDirectories(tmp.resolve("proc"));
        nsfs = Files.createDirectories(tmp.resolve("nsfs"));
        ipNetns = Files.createDirectories(tmp.resolve("run-netns"));
        dockerNetns = tmp.resolve("docker-netns"); // absent, like on a host without Docker
        for (String ns : List.of("init", "blue", "red", "lonely")) {
            Files.writeString(nsfs.resolve(ns), ns);
        }
        Files.createDirectories(proc.resolve("net")); // non-numeric entries are not processes
        Files.createDirectories(proc.resolve("sys"));
    }

    private void process(int pid, String ns, String comm, String cgroup) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("ns"))
                .getParent();
        Files.createSymbolicLink(dir.resolve("ns/net"), nsfs.resolve(ns));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.writeString(dir.resolve("cgroup"), cgroup);
    }

    private NetnsId idOf(String ns) throws IOException {
        return NetnsId.of(nsfs.resolve(ns));
    }

    @Test
    void deduplicatesNamesAndRemembersTheLowestPid() throws IOException {
        process(1, "init", "systemd", "0::/init.scope\n");
        process(300, "blue", "pause", "0::/docker/" + CID + "\n");
        process(40, "blue", "nginx", "0::/docker/" + CID + "\n");
        process(41, "blue", "nginx", "0::/docker/" + CID + "\n");
        process(1000, "init", "bash", "0::/user.slice\n");
        Files.createSymbolicLink(proc.resolve("self"), proc.resolve("1000"));
        Files.createSymbolicLink(ipNetns.resolve("blue"), nsfs.resolve("blue"));
        Files.createSymbolicLink(ipNetns.resolve("a-blue"), nsfs.resolve("blue"));
        Files.createSymbolicLink(ipNetns.resolve("red"), nsfs.resolve("red"));

        NetnsScan scan = new NetnsDiscovery(proc, List.of(ipNetns, dockerNetns)).scan();

        assertThat(scan.processesScanned()).isEqualTo(5);
        assertThat(scan.errors()).isEmpty();
        assertThat(scan.self()).contains(idOf("init"));
        assertThat(scan.namespaces())
                .extracting(DiscoveredNetns::id)
                .containsExactlyInAnyOrder(idOf("init"), idOf("blue"), idOf("red"));

        DiscoveredNetns init = scan.namespaces().getFirst();
        assertThat(init.init()).isTrue();
        assertThat(init.self()).isTrue();
        assertThat(init.name()).isEqualTo("host");
        assertThat(init.lowestPid()).hasValue(1);
        assertThat(init.processes()).isEqualTo(2);
        assertThat(init.openPath()).isEqualTo(proc.resolve("1/ns/net"));

        DiscoveredNetns blue = scan.find(idOf("blue")).orElseThrow();
        assertThat(blue.lowestPid()).hasValue(40);
        assertThat(blue.comm()).isEqualTo("nginx");
        assertThat(blue.processes()).isEqualTo(3);
        assertThat(blue.names()).containsExactly("a-blue", "blue");
        assertThat(blue.name()).isEqualTo("a-blue");
        assertThat(blue.openPath()).isEqualTo(ipNetns.resolve("a-blue"));
        assertThat(blue.identity().containerId()).isEqualTo(CID);
        assertThat(blue.init()).isFalse();
        assertThat(blue.self()).isFalse();

        DiscoveredNetns red = scan.find(idOf("red")).orElseThrow();
        assertThat(red.lowestPid()).isEmpty();
        assertThat(red.processes()).isZero();
        assertThat(red.comm()).isEmpty();
        assertThat(red.openPath()).isEqualTo(ipNetns.resolve("red"));
    }

    @Test
    void exitedProcessesAreCountedNotThrown() throws IOException {
        process(1, "init", "systemd", "");
        Files.createDirectories(proc.resolve("77")); // exited: the ns directory is gone
        Path dir88 = Files.createDirectories(proc.resolve("88/ns"));
        Files.createSymbolicLink(dir88.resolve("net"), nsfs.resolve("vanished-ns")); // dangling
        Files.createSymbolicLink(ipNetns.resolve("deleted"), nsfs.resolve("also-gone"));

        NetnsScan scan = new NetnsDiscovery(proc, List.of(ipNetns)).scan();

        assertThat(scan.processesScanned()).isEqualTo(3);
        assertThat(scan.errorCount(ScanError.VANISHED)).isEqualTo(3);
        assertThat(scan.namespaces()).hasSize(1);
        assertThat(scan.self()).isEmpty();
    }

    @Test
    void aKernelThreadNamesTheInitNamespaceWhenPid1IsUnreadable() throws IOException {
        Path dir1 = Files.createDirectories(proc.resolve("1/ns"));
        Files.createSymbolicLink(dir1.resolve("net"), nsfs.resolve("unreadable")); // stands for EACCES
        process(2, "init", "kthreadd", "");
        // flags 0x208040 = PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC, as in this machine's /proc/2/stat
        Files.writeString(proc.resolve("2/stat"), "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 25\n");
        process(500, "blue", "app", "");

        NetnsScan scan = new NetnsDiscovery(proc, List.of()).scan();

        assertThat(scan.init().orElseThrow().id()).isEqualTo(idOf("init"));
        assertThat(scan.find(idOf("blue")).orElseThrow().name()).isEmpty();
    }

    @Test
    void theOwnNamespaceIsKnownInitialWithoutPid1ByKthreaddOrByTheFixedInode() throws IOException {
        process(1, "blue", "container-init", ""); // self mode in a container: pid 1 is not the host's init
        assertThat(NetnsDiscovery.isInitial(proc, idOf("blue"))).isFalse();
        assertThat(NetnsDiscovery.isInitial(proc, new NetnsId(4, 0xEFFFFFF9L)))
                .as("NET_NS_INIT_INO")
                .isTrue();
        process(2, "init", "kthreadd", "");
        Files.writeString(proc.resolve("2/stat"), "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 25\n");
        assertThat(NetnsDiscovery.isInitial(proc, idOf("init"))).isTrue();
        assertThat(NetnsDiscovery.isInitial(proc, idOf("blue"))).isFalse();
    }

    @Test
    void aScanRemembersTheFirstPathSkippedForEachReason() throws IOException {
        Path dir1 = Files.createDirectories(proc.resolve("1/ns"));
        Files.createSymbolicLink(dir1.resolve("net"), nsfs.resolve("unreadable"));
        process(500, "blue", "app", "");
        NetnsScan scan = new NetnsDiscovery(proc, List.of()).scan();
        assertThat(scan.example(ScanError.VANISHED)).contains(dir1.resolve("net"));
    }

    @Test
    void aUserProcessAsPid2IsNotTakenForAKernelThread() throws IOException {
        process(2, "blue", "sh (weird) name", "");
        Files.writeString(proc.resolve("2/stat"), "2 (sh (weird) name) S 1 2 2 0 -1 4194560 0 0 0 0\n");

        NetnsScan scan = new NetnsDiscovery(proc, List.of()).scan();

        assertThat(scan.init()).isEmpty();
        assertThat(scan.namespaces())
                .singleElement()
                .satisfies(n -> assertThat(n.comm()).isEqualTo("sh (weird) name"));
    }

    @Test
    void classifiesByErrnoNeverByMessageText(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing");
        Path present = Files.createFile(dir.resolve("present"));
        assertThat(ScanError.of(missing, new NoSuchFileException("x"))).isEqualTo(ScanError.VANISHED);
        assertThat(ScanError.of(missing, new AccessDeniedException("x"))).isEqualTo(ScanError.ACCESS_DENIED);
        // any other error: the errno of open(2) on the same path decides, whatever the message says
        assertThat(ScanError.of(missing, new FileSystemException("x", null, "Operation not permitted")))
                .isEqualTo(ScanError.VANISHED);
        assertThat(ScanError.of(present, new FileSystemException("x", null, "Operation not permitted")))
                .isEqualTo(ScanError.IO);
        assertThat(ScanError.ofErrno(1)).isEqualTo(ScanError.NOT_PERMITTED);
        assertThat(ScanError.ofErrno(13)).isEqualTo(ScanError.ACCESS_DENIED);
        assertThat(ScanError.ofErrno(3)).isEqualTo(ScanError.VANISHED);
        assertThat(ScanError.ofErrno(5)).isEqualTo(ScanError.IO);
    }

    @Test
    void pidNamesAreStrict() {
        assertThat(NetnsDiscovery.parsePid("1")).isEqualTo(1);
        assertThat(NetnsDiscovery.parsePid("4194304")).isEqualTo(4194304);
        for (String notPid : List.of("", "self", "thread-self", "01", "1a", "99999999999")) {
            assertThat(NetnsDiscovery.parsePid(notPid)).as(notPid).isEqualTo(-1);
        }
    }
}
