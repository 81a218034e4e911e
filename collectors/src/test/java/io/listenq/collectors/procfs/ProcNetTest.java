package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetTest {

    @TempDir
    Path proc;

    private void fakeProcess(String pid, String netstat, String snmp) throws Exception {
        Path net = Files.createDirectories(proc.resolve(pid).resolve("net"));
        Files.writeString(net.resolve("netstat"), netstat);
        Files.writeString(net.resolve("snmp"), snmp);
    }

    @Test
    void readsAndMergesBothFilesUnderAConfiguredRoot() throws Exception {
        String netstat = Fixtures.load("netstat");
        String snmp = Fixtures.load("snmp");
        fakeProcess("42", netstat, snmp);

        NetCounters all = ProcNet.read(proc, "42");
        SelectedCounters picked = ProcNet.read(proc, "42", Fixtures.LISTEN_QUEUE);

        assertThat(all.get(CounterKey.LISTEN_OVERFLOWS))
                .hasValue(Long.parseLong(
                        Fixtures.grep(netstat, "TcpExt", "ListenOverflows").orElseThrow()));
        assertThat(all.get("Tcp", "MaxConn")).hasValue(-1);
        assertThat(picked.complete()).isTrue();
        assertThat(picked.get(CounterKey.PASSIVE_OPENS)).isEqualTo(all.get(CounterKey.PASSIVE_OPENS));
    }

    @Test
    void aMissingProcessIsNoSuchFileAndGarbleNamesTheFile() throws Exception {
        assertThatThrownBy(() -> ProcNet.read(proc, "7")).isInstanceOf(NoSuchFileException.class);
        fakeProcess("8", Fixtures.load("netstat"), "Tcp: A\nTcp: x\n");
        assertThatThrownBy(() -> ProcNet.read(proc, "8", Fixtures.LISTEN_QUEUE))
                .isInstanceOfSatisfying(
                        ProcfsFormatException.class,
                        e -> assertThat(e.source())
                                .isEqualTo(proc.resolve("8/net/snmp").toString()));
    }

    @Test
    void rejectsPidsThatAreNotPids() {
        for (String bad : new String[] {"", "..", "1/../2", "-1", "01", "self/x"}) {
            assertThatThrownBy(() -> ProcNet.read(proc, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsThisProcessesRealCounters() throws Exception {
        // Our own namespace's counters need no privilege (docs/kernel.md §7).
        Path realProc = Path.of("/proc");
        SelectedCounters self = ProcNet.read(realProc, ProcNet.THREAD_SELF, Fixtures.LISTEN_QUEUE);
        NetCounters all = ProcNet.read(realProc, ProcNet.SELF);
        assertThat(self.complete()).isTrue();
        assertThat(all.sections()).containsKeys("TcpExt", "IpExt", "Ip", "Tcp", "Udp");
        assertThat(all.sections().get("TcpExt")).hasSizeGreaterThan(100);
    }
}
