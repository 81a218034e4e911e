package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.netns.Capabilities;
import io.listenq.collectors.netns.ContainerIdentity;
import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile procfs text: mutations of real files through every pure parser. Each input either parses or throws
 * ProcfsFormatException (ContainerIdentity.parseCgroup: never throws), within 1 s and bounded allocation.
 */
class ParserFuzzTest {
    private static final int ITERATIONS = 3_000;
    private static final Fuzz FUZZ = new Fuzz();

    @AfterAll
    static void stop() {
        FUZZ.close();
    }

    private static byte[] resource(String name) {
        return Captures.bytes(name);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Runs the target over mutations of each seed; returns {accepted, rejected}. */
    private static int[] fuzz(String what, List<byte[]> seeds, Fuzz.Target target) {
        int[] outcome = new int[2];
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = FUZZ.mutate(seeds.get(i % seeds.size()));
            outcome[FUZZ.check(what, i, input, target, ProcfsFormatException.class) ? 0 : 1]++;
        }
        return outcome;
    }

    @Test
    void netCounters() throws IOException {
        List<byte[]> seeds =
                List.of(resource("procfs/netstat"), resource("procfs/snmp"), resource("procfs/netstat-fresh-netns"));
        int[] n = fuzz("NetCounters.parse", seeds, b -> NetCounters.parse("fuzz", text(b)));
        assertThat(n[0]).as("accepted").isPositive();
        assertThat(n[1]).as("rejected").isPositive();
    }

    @Test
    void counterSelection() throws IOException {
        List<byte[]> seeds = List.of(resource("procfs/netstat"), resource("procfs/snmp-fresh-netns"));
        int[] n = fuzz("CounterSelection.parse", seeds, b -> Fixtures.LISTEN_QUEUE.parse("fuzz", text(b)));
        assertThat(n[0] + n[1]).isEqualTo(ITERATIONS);
        assertThat(n[1]).isPositive();
    }

    @Test
    void sysctlIntegers() {
        List<byte[]> seeds =
                List.of("4096\n".getBytes(), "-1\n".getBytes(), "9223372036854775807\n".getBytes(), "0\n".getBytes());
        int[] n = fuzz("Sysctl.parse", seeds, b -> Sysctl.parse("fuzz", text(b)));
        assertThat(n[0]).isPositive();
        assertThat(n[1]).isPositive();
    }

    @Test
    void capabilities() throws IOException {
        int[] n = fuzz(
                "Capabilities.parseStatus",
                List.of(resource("netns/status-root")),
                b -> Capabilities.parseStatus("fuzz", text(b)));
        assertThat(n[0]).isPositive();
        assertThat(n[1]).isPositive();
    }

    @Test
    void containerIdentityNeverThrows() throws IOException {
        byte[] docker = ("0::/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                        + ".scope\n")
                .getBytes();
        byte[] pod = ("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_5678_90ef_1234_"
                        + "567890abcdef.slice/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
                        + "abcdef.scope\n")
                .getBytes();
        int[] n = fuzz(
                "ContainerIdentity.parseCgroup",
                List.of(resource("netns/cgroup-hybrid-host"), docker, pod),
                b -> ContainerIdentity.parseCgroup(text(b)));
        assertThat(n[1]).as("parseCgroup threw").isZero();
    }
}
