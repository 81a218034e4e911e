package io.listenq.exporter.drill;

import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.cli.FlagException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
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

                  --netns        NAME (ip netns), namespace inode, or a PID inside it
                  --address      canary address: loopback or one of the namespace's own addresses
                  --port         canary port (the documented drill port by default)
                  --settle       how long the canary listens before the overflow starts (0s to %s), so that
                                 Prometheus has seen the listener before its first drop, as for a real one
                  --duration     how long to overflow (%s to %s)
                  --rate         new connections per second (1 to %d)
                  --max-clients  client sockets open at once (1 to %d)
                """.formatted(
                        DEFAULT_PORT,
                        Durations.format(MAX_SETTLE),
                        Durations.format(MIN_DURATION),
                        Durations.format(MAX_DURATION),
                        MAX_RATE,
                        MAX_CLIENTS);
    }

    /** @throws FlagException naming the flag, for one line on stderr and exit status 2 */
    public static Parsed parse(String... args) throws FlagException {
        Optional<String> netns = Optional.empty();
        InetAddress address = InetAddress.getLoopbackAddress();
        int port = DEFAULT_PORT;
        Duration settle = Duration.ofSeconds(30);
        Duration duration = Duration.ofMinutes(3);
        int rate = 10;
        int maxClients = 64;
        Path procfs = Path.of("/proc");
        Path pathNetns = Path.of("/run/netns");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Help();
            }
            if (!arg.startsWith("--")) {
                throw new FlagException("unexpected argument '" + arg + "' (flags are --name=value)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new FlagException("flag --" + name + " needs a value");
            }
            try {
                switch (name) {
                    case "netns" -> netns = Optional.of(netnsSpec(value));
                    case "address" -> address = InetAddress.ofLiteral(value);
                    case "port" -> port = bounded(value, 1, 65535);
                    case "settle" -> settle = settle(value);
                    case "duration" -> duration = duration(value);
                    case "rate" -> rate = bounded(value, 1, MAX_RATE);
                    case "max-clients" -> maxClients = bounded(value, 1, MAX_CLIENTS);
                    case "path.procfs" -> procfs = Path.of(value);
                    case "path.netns" -> pathNetns = Path.of(value);
                    default -> throw new FlagException("unknown flag --" + name + " (see drill --help)");
                }
            } catch (IllegalArgumentException e) {
                throw new FlagException("invalid --" + name + " '" + value + "': " + e.getMessage());
            }
        }
        return new Run(new DrillOptions(netns, address, port, settle, duration, rate, maxClients, procfs, pathNetns));
    }

    private static String netnsSpec(String value) {
        // a name under /run/netns is one path element: no '/', no '.' or '..' (ip netns refuses those too)
        if (value.isEmpty() || value.contains("/") || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("expected a namespace name, inode or pid");
        }
        return value;
    }

    private static int bounded(String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be from " + min + " to " + max);
        }
        return n;
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
