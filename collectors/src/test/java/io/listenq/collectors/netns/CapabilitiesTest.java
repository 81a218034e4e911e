package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.procfs.ProcfsFormatException;
import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.Getpcaps;
import io.listenq.collectors.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static String fixture() {
        return Captures.text("netns/status-root");
    }

    @Test
    void parsesCapEffOfARealStatusFile() throws Exception {
        String status = fixture();
        String hex = status.lines()
                .filter(l -> l.startsWith("CapEff:"))
                .findFirst()
                .orElseThrow()
                .split("\\s+")[1];

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
                        .missingForOtherNamespaces())
                .containsExactly("CAP_SYS_PTRACE");
        assertThat(Capabilities.parseStatus("s", "CapEff:\t0000000000000000\n").missingForOtherNamespaces())
                .containsExactly("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        assertThat(Capabilities.parseStatus("s", "CapEff:\tffffffffffffffff\n").has(63))
                .isTrue();
    }

    @Test
    void rejectsMissingOrGarbledCapEff() {
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "Name:\tx\nCapPrm:\t0\n"))
                .isInstanceOfSatisfying(
                        ProcfsFormatException.class,
                        e -> assertThat(e.problem()).contains("no CapEff"));
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "Name:\tx\nCapEff:\tzz\n"))
                .isInstanceOfSatisfying(
                        ProcfsFormatException.class, e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "CapEff:\t1ffffffffffffffff\n"))
                .isInstanceOf(ProcfsFormatException.class);
        assertThatThrownBy(() -> Capabilities.parseStatus("s", "CapEff:\n")).isInstanceOf(ProcfsFormatException.class);
    }

    /** The oracle is getpcaps (capget(2)), not /proc/PID/status read a second way. */
    @Test
    void readsThisProcessAsGetpcapsSeesIt() throws Exception {
        assertSameAsGetpcaps(ProcessHandle.current().pid());
    }

    /** A child with CAP_SYS_ADMIN and CAP_SYS_PTRACE dropped by setpriv: both parsers must see them gone. */
    @Test
    void readsAProcessWithCapabilitiesDropped() throws Exception {
        Path setpriv = Tools.require("setpriv");
        Process child = new ProcessBuilder(
                        setpriv.toString(),
                        "--inh-caps=-sys_admin,-sys_ptrace",
                        "--bounding-set=-sys_admin,-sys_ptrace",
                        "sleep",
                        "30")
                .start();
        try {
            // setpriv drops them and then execs sleep: compare only once sleep runs
            Path comm = Path.of("/proc/" + child.pid() + "/comm");
            for (int i = 0; i < 100 && !Files.readString(comm).strip().equals("sleep"); i++) {
                Thread.sleep(20);
            }
            Capabilities caps = assertSameAsGetpcaps(child.pid());
            assertThat(caps.missingForOtherNamespaces()).containsExactlyInAnyOrder("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    private static Capabilities assertSameAsGetpcaps(long pid) throws Exception {
        Getpcaps oracle = Getpcaps.of(pid);
        Capabilities caps = Capabilities.parseStatus("status", Files.readString(Path.of("/proc/" + pid + "/status")));
        Map<String, Integer> checked = Map.of(
                "cap_sys_admin",
                Capabilities.CAP_SYS_ADMIN,
                "cap_sys_ptrace",
                Capabilities.CAP_SYS_PTRACE,
                "cap_net_admin",
                12,
                "cap_sys_module",
                16,
                "cap_sys_resource",
                24,
                "cap_chown",
                0);
        checked.forEach((name, bit) ->
                assertThat(caps.has(bit)).as("%s of pid %d", name, pid).isEqualTo(oracle.effective(name)));
        return caps;
    }
}
