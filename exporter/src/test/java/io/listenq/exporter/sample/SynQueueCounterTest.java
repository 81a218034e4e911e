package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SYN-RECV dump walks the host's whole established hash: it must not run where nothing points at trouble. */
class SynQueueCounterTest {
    private int dumps;
    private final ProblemLog problems = new ProblemLog(line -> { }, line -> { });

    private final ListenerDumps fake = new ListenerDumps() {
        @Override
        public List<TcpListener> tcpListeners(int family) {
            return List.of();
        }

        @Override
        public List<SynRecv> synRecv(int family) {
            dumps++;
            return List.of();
        }

        @Override
        public List<UnixListener> unixListeners() {
            return List.of();
        }

        @Override
        public void close() {
        }
    };

    private static List<TcpListener> listener(int acceptQueue, long drops) throws Exception {
        return List.of(new TcpListener(Native.AF_INET, InetAddress.getByName("0.0.0.0"), 80, acceptQueue, 128, 1, 1,
                drops, 0));
    }

    @Test
    void aQuietNamespaceIsNeverDumpedNotEvenTheFirstTime() throws Exception {
        SynQueueCounter c = new SynQueueCounter("1", 0);
        for (int i = 0; i < 3; i++) {
            assertThat(c.counts(listener(0, 7), new long[] {5, 0, 0}, fake, new RoundStats(), problems, "t")).isNull();
        }
        assertThat(dumps).as("historic drops and counters are a baseline, not a trigger").isZero();
    }

    @Test
    void troubleTriggersADump() throws Exception {
        SynQueueCounter c = new SynQueueCounter("1", 0);
        c.counts(listener(0, 7), new long[] {5, 0, 0}, fake, new RoundStats(), problems, "t");
        assertThat(c.counts(listener(0, 7), new long[] {6, 0, 0}, fake, new RoundStats(), problems, "t")).isEmpty();
        assertThat(dumps).isEqualTo(2); // ListenDrops moved: v4 and v6 dumped
        c.counts(listener(0, 8), new long[] {6, 0, 0}, fake, new RoundStats(), problems, "t");
        assertThat(dumps).as("listener drops moved").isEqualTo(4);
        c.counts(listener(3, 8), new long[] {6, 0, 0}, fake, new RoundStats(), problems, "t");
        assertThat(dumps).as("accept queue not empty").isEqualTo(6);
        c.counts(listener(0, 8), new long[] {6, 0, 0}, fake, new RoundStats(), problems, "t");
        assertThat(dumps).as("quiet again").isEqualTo(6);
    }
}
