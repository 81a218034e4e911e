package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import io.listenq.collectors.procfs.Sysctl;
import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.TcpListeners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP dumps of a namespace are skipped only when nothing can have changed: last dump idle and none of the
 * counters that every queue change moves (PassiveOpens, ListenDrops, ...) moved since.
 */
class IdleSkipTest {
    @TempDir
    Path procfs;

    private final StubDumps dumps = new StubDumps();
    private final ProblemLog problems = new ProblemLog(
            line -> {
                throw new AssertionError("unexpected problem: " + line);
            },
            line -> {});

    @BeforeEach
    void fakeProcfs() throws IOException {
        dumps.ipv4 = listener(0);
        Path net = Files.createDirectories(procfs.resolve("thread-self/net"));
        Captures.copy("procfs/netstat", net.resolve("netstat"));
        Captures.copy("procfs/sockstat", net.resolve("sockstat"));
        Captures.copy("procfs/sockstat6", net.resolve("sockstat6"));
        setPassiveOpens(100);
        Path sys = procfs.resolve("sys");
        for (Sysctl s : Sysctl.values()) {
            Files.createDirectories(sys.resolve(s.path()).getParent());
            Files.writeString(sys.resolve(s.path()), "128\n");
        }
    }

    private void setPassiveOpens(long value) throws IOException {
        setSnmp("PassiveOpens", value);
    }

    private void setSnmp(String column, long value) throws IOException {
        Path file = procfs.resolve("thread-self/net/snmp");
        String[] snmp = (Files.exists(file) ? Files.readString(file) : Captures.text("procfs/snmp")).split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < snmp.length; i += 2) {
            String[] names = snmp[i].split(" ");
            String[] values = snmp[i + 1].split(" ");
            for (int c = 0; c < names.length; c++) {
                if (names[0].equals("Tcp:") && names[c].equals(column)) {
                    values[c] = Long.toString(value);
                }
            }
            out.append(snmp[i]).append('\n').append(String.join(" ", values)).append('\n');
        }
        Files.writeString(procfs.resolve("thread-self/net/snmp"), out);
    }

    /** One listener on 0.0.0.0:80 whose accept queue is {@code length}. */
    private static List<TcpListener> listener(int length) throws IOException {
        return List.of(TcpListeners.listener().acceptQueue(length).build());
    }

    private NamespaceSample round(NamespaceReader reader, boolean refresh) {
        RoundStats stats = new RoundStats();
        NamespaceSample s = reader.sample(
                NetnsIdentity.UNKNOWN,
                new Execution(stats, problems),
                refresh ? SkipPolicy.Turn.FULL : SkipPolicy.Turn.NORMAL,
                NetnsEntry.INSIDE);
        problems.endRound(stats.ran());
        return s;
    }

    @Test
    void idleNamespaceIsDumpedOnlyOnRefreshOrWhenCountersMove() throws IOException {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        round(reader, true);
        assertThat(dumps.tcpDumps).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            NamespaceSample s = round(reader, false);
            assertThat(s.listeners())
                    .singleElement()
                    .satisfies(l -> assertThat(l.acceptQueue()).isZero());
        }
        assertThat(dumps.tcpDumps).as("idle rounds reuse the last dump").isEqualTo(1);

        setPassiveOpens(101); // a handshake completed: some accept queue may hold it
        dumps.ipv4 = listener(1);
        assertThat(round(reader, false).listeners().getFirst().acceptQueue()).isEqualTo(1);
        assertThat(dumps.tcpDumps).isEqualTo(2);
        // a non-empty queue is dumped every round, even with counters still
        round(reader, false);
        assertThat(dumps.tcpDumps).isEqualTo(3);
        dumps.ipv4 = listener(0);
        round(reader, false);
        assertThat(dumps.tcpDumps).isEqualTo(4);
        round(reader, false); // empty again and counters still: skipped
        assertThat(dumps.tcpDumps).isEqualTo(4);
        round(reader, true); // refresh: new listeners could have appeared
        assertThat(dumps.tcpDumps).isEqualTo(5);
    }

    private void setSocketsUsed(long used) throws IOException {
        Path file = procfs.resolve("thread-self/net/sockstat");
        Files.writeString(file, Files.readString(file).replaceFirst("sockets: used \\d+", "sockets: used " + used));
    }

    /**
     * The capture's sockstat: TCP inuse 1, every other inuse 0. With the stub's socket counted as the exporter's own,
     * "used 2" means no socket but the hashed TCP one and ours: no unix socket, so no unix dump between full turns.
     */
    @Test
    void aNamespaceWithoutUnixSocketsIsNotDumpedForUnixListeners() throws IOException {
        setSocketsUsed(2);
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        round(reader, true);
        int dumped = dumps.unixDumps;
        round(reader, false);
        round(reader, false);
        assertThat(dumps.unixDumps).as("no unix socket: nothing to dump").isEqualTo(dumped);
        round(reader, true);
        assertThat(dumps.unixDumps).as("a full turn dumps anyway").isEqualTo(dumped + 1);

        setSocketsUsed(3); // a unix (or any non-IP) socket appeared
        round(reader, false);
        assertThat(dumps.unixDumps).isEqualTo(dumped + 2);
        dumps.unix = List.of(new UnixListener("@svc", 1, 4, 77));
        assertThat(round(reader, false).listeners())
                .anySatisfy(l -> assertThat(l.key().family()).isEqualTo("unix"));
        setSocketsUsed(2); // gone again, but the last dump found a listener: dumped until one finds none
        round(reader, false);
        assertThat(dumps.unixDumps).isEqualTo(dumped + 4);
        dumps.unix = List.of();
        round(reader, false);
        round(reader, false);
        assertThat(dumps.unixDumps).isEqualTo(dumped + 5);
    }

    @Test
    void withTheCapturesSocketsEveryRoundDumpsUnixListeners() {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        round(reader, true);
        int dumped = dumps.unixDumps;
        round(reader, false);
        round(reader, false);
        assertThat(dumps.unixDumps)
                .as("used 10 against 1 hashed: other sockets")
                .isEqualTo(dumped + 2);
    }

    @Test
    void aNewListenerMovesTcpInUseAndIsDumpedAtOnce() throws IOException {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        round(reader, true);
        round(reader, false);
        assertThat(dumps.tcpDumps).isEqualTo(1);
        Files.writeString(
                procfs.resolve("thread-self/net/sockstat"),
                Files.readString(procfs.resolve("thread-self/net/sockstat")).replace("TCP: inuse 1", "TCP: inuse 2"));
        round(reader, false);
        assertThat(dumps.tcpDumps).isEqualTo(2);
    }

    @Test
    void netstatIsReadAgainOnlyAfterATcpSegmentArrived() throws IOException {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        long before = round(reader, true).counters().get(NetnsCounter.LISTEN_OVERFLOWS);
        Path netstat = procfs.resolve("thread-self/net/netstat");
        String[] lines = Files.readString(netstat).split("\n");
        int col = List.of(lines[0].split(" ")).indexOf("ListenOverflows");
        String[] values = lines[1].split(" ");
        values[col] = Long.toString(before + 7);
        lines[1] = String.join(" ", values);
        Files.writeString(netstat, String.join("\n", lines) + "\n");
        // a kernel cannot do this (no segment, yet TcpExt moved): proves the file was not read again
        assertThat(round(reader, false).counters().get(NetnsCounter.LISTEN_OVERFLOWS))
                .isEqualTo(before);
        setSnmp("InSegs", 1_000_000);
        assertThat(round(reader, false).counters().get(NetnsCounter.LISTEN_OVERFLOWS))
                .isEqualTo(before + 7);
    }

    @Test
    void anUnchangedNamespaceYieldsTheSameSampleObject() {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        round(reader, true);
        NamespaceSample second = round(reader, false);
        assertThat(round(reader, false)).isSameAs(second);
    }

    @Test
    void aFullDumpThatFindsTheSameListenersYieldsTheSameSampleObject() throws IOException {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(true, 0), dumps.opener());
        NamespaceSample first = round(reader, true);
        int dumped = dumps.tcpDumps;
        assertThat(round(reader, true)).isSameAs(first);
        assertThat(dumps.tcpDumps).as("it did dump").isGreaterThan(dumped);
        dumps.ipv4 = listener(3);
        assertThat(round(reader, true)).isNotSameAs(first);
    }

    @Test
    void withoutSkippingEveryRoundDumps() {
        NamespaceReader reader = new NamespaceReader("1", procfs, new SkipPolicy(false, 0), dumps.opener());
        for (int i = 0; i < 4; i++) {
            round(reader, i == 0);
        }
        assertThat(dumps.tcpDumps).isEqualTo(4);
    }
}
