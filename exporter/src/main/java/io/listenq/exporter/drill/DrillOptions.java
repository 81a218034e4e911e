package io.listenq.exporter.drill;

import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.FlagTable;
import io.listenq.exporter.cli.FlagTable.Flag;
import io.listenq.exporter.cli.FlagValues;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Flags of {@code listenq-exporter drill}. Every bound is checked here, so the drill itself never needs to:
 * the client count and the connection rate are capped, and the target is an IP literal (no name lookup).
 *
 * @param netns {@code NAME} (under {@code pathNetns}), {@code INODE} or {@code PID}; empty: the drill's own namespace
 * @param address the canary's address: loopback, or an address of that namespace (checked once inside it)
 * @param port the canary's port; the default {@value #DEFAULT_PORT} is documented as the drill's, so on-call
 *     recognises it
 * @param settle how long the canary listens, empty, before the clients start: a real listener exists long before
 *     it overflows, and Prometheus needs a sample of the new series before its drops can show in a rate
 * @param duration how long the canary keeps overflowing
 * @param rate new client connections per second
 * @param maxClients client sockets open at once, at most
 */
public record DrillOptions(
        Optional<String> netns,
        InetAddress address,
        int port,
        Duration settle,
        Duration duration,
        int rate,
        int maxClients,
        Path procfs,
        Path pathNetns) {

    public static final int DEFAULT_PORT = 19469;
    static final Duration MIN_DURATION = Duration.ofSeconds(5);
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final Duration MAX_SETTLE = Duration.ofMinutes(5);
    static final int MAX_RATE = 200;
    static final int MAX_CLIENTS = 512;

    /** What {@link #parse} returns: options to run with, or a request for help. */
    public sealed interface Parsed permits Run, Help {}

    public record Run(DrillOptions options) implements Parsed {}

    public record Help() implements Parsed {}

    private static final FlagTable<Builder> TABLE = new FlagTable<>(
            "listenq-exporter drill",
            false,
            List.of(
                    new Flag<>(
                            "netns",
                            "NAME|INODE|PID",
                            "",
                            "NAME (ip netns), namespace inode, or a PID inside it (default: the drill's own).",
                            (b, v) -> b.netns = Optional.of(netnsSpec(v))),
                    new Flag<>(
                            "address",
                            "ip",
                            "127.0.0.1",
                            "Canary address: loopback or one of the namespace's own addresses.",
                            (b, v) -> b.address = InetAddress.ofLiteral(v)),
                    new Flag<>(
                            "port",
                            "port",
                            Integer.toString(DEFAULT_PORT),
                            "Canary port (the documented drill port by default).",
                            (b, v) -> b.port = FlagValues.wholeNumber(v, 1, 65535)),
                    new Flag<>(
                            "settle",
                            "duration",
                            "30s",
                            "How long the canary listens before the overflow starts (0s to "
                                    + Durations.format(MAX_SETTLE)
                                    + "), so that Prometheus has seen the listener before its first drop.",
                            (b, v) -> b.settle = settle(v)),
                    new Flag<>(
                            "duration",
                            "duration",
                            "3m",
                            "How long to overflow (" + Durations.format(MIN_DURATION) + " to "
                                    + Durations.format(MAX_DURATION) + ").",
                            (b, v) -> b.duration = duration(v)),
                    new Flag<>(
                            "rate",
                            "n",
                            "10",
                            "New connections per second (1 to " + MAX_RATE + ").",
                            (b, v) -> b.rate = FlagValues.wholeNumber(v, 1, MAX_RATE)),
                    new Flag<>(
                            "max-clients",
                            "n",
                            "64",
                            "Client sockets open at once (1 to " + MAX_CLIENTS + ").",
                            (b, v) -> b.maxClients = FlagValues.wholeNumber(v, 1, MAX_CLIENTS)),
                    new Flag<>("path.procfs", "path", "/proc", "procfs mountpoint.", (b, v) -> b.procfs = Path.of(v)),
                    new Flag<>(
                            "path.netns",
                            "path",
                            "/run/netns",
                            "Directory of named network namespaces (ip netns).",
                            (b, v) -> b.pathNetns = Path.of(v))));

    public static String usage() {
        return """
                Usage: listenq-exporter drill [--netns=NAME|INODE|PID] [--address=127.0.0.1] [--port=%d]
                                              [--settle=30s] [--duration=3m] [--rate=10] [--max-clients=64]
                                              [--path.procfs=/proc] [--path.netns=/run/netns]

                Opens a canary listener with backlog 1 that never accepts, inside the given network namespace
                (default: the drill's own), and keeps it overflowing with client connections for --duration, so
                that the exporter and the shipped alerts see a real, sustained listen-queue overflow. Entering
                another namespace needs CAP_SYS_ADMIN (and CAP_SYS_PTRACE for /proc/PID/ns/net). Traffic goes only
                to loopback or to an address of that namespace. Everything is closed on exit, SIGINT and SIGTERM.

                Flags:
                """.formatted(DEFAULT_PORT) + TABLE.describe();
    }

    /** @throws FlagException naming the flag, for one line on stderr and exit status 2 */
    public static Parsed parse(String... args) throws FlagException {
        Builder b = new Builder();
        if (TABLE.parse(b, List.of(args)) == FlagTable.Request.HELP) {
            return new Help();
        }
        return new Run(new DrillOptions(
                b.netns, b.address, b.port, b.settle, b.duration, b.rate, b.maxClients, b.procfs, b.pathNetns));
    }

    /** The options while the flags are applied; every field is set by its flag's default. */
    private static final class Builder {
        Optional<String> netns = Optional.empty();
        InetAddress address;
        int port;
        Duration settle;
        Duration duration;
        int rate;
        int maxClients;
        Path procfs;
        Path pathNetns;
    }

    private static String netnsSpec(String value) {
        // a name under /run/netns is one path element: no '/', no '.' or '..' (ip netns refuses those too)
        if (value.isEmpty() || value.contains("/") || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("expected a namespace name, inode or pid");
        }
        return value;
    }

    private static Duration settle(String value) {
        Duration d = Durations.parse(value);
        if (d.compareTo(MAX_SETTLE) > 0) {
            throw new IllegalArgumentException("must be at most " + Durations.format(MAX_SETTLE));
        }
        return d;
    }

    private static Duration duration(String value) {
        Duration d = Durations.parse(value);
        if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                    "must be from " + Durations.format(MIN_DURATION) + " to " + Durations.format(MAX_DURATION));
        }
        return d;
    }
}
