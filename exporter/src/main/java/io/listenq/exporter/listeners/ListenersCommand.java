package io.listenq.exporter.listeners;

import io.listenq.collectors.netns.Capabilities;
import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.FlagTable;
import io.listenq.exporter.cli.FlagTable.Flag;
import io.listenq.exporter.cli.FlagValues;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.cli.NetnsMode;
import io.listenq.exporter.log.LogFormat;
import io.listenq.exporter.log.Logging;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.Sampler;
import io.listenq.exporter.sample.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code listenq-exporter listeners [--netns=auto|all|self] [--output=table|json] [--watch=DURATION]}: what every
 * listener's queue looks like now, read from the kernel by the daemon's own sampler (same namespaces, same sock_diag
 * dumps, same owners), printed once or every DURATION; no server. Without CAP_SYS_ADMIN and CAP_SYS_PTRACE it shows
 * its own namespace and says on stderr what {@code all} needs. Exit 0, 1 when nothing could be read, 2 for a bad flag.
 */
public final class ListenersCommand {
    public static final String NAME = "listeners";
    /** How long the first round may take (1,000 namespaces take about a second) before giving up. */
    static final Duration FIRST_ROUND_TIMEOUT = Duration.ofSeconds(30);

    enum Output {
        TABLE,
        JSON
    }

    record Options(NetnsMode netns, Output output, Duration watch) {}

    private ListenersCommand() {}

    /** The options while the flags are applied. */
    private static final class Builder {
        NetnsMode netns;
        Output output;
        Duration watch;
    }

    private static final FlagTable<Builder> TABLE = new FlagTable<>(
            "listenq-exporter " + NAME,
            false,
            List.of(
                    new Flag<>(
                            "netns",
                            "auto|all|self",
                            "auto",
                            "Namespaces to read: all (needs CAP_SYS_ADMIN and CAP_SYS_PTRACE), self, or auto (all "
                                    + "with those capabilities, else this process's own, saying so on stderr).",
                            (b, v) -> b.netns = FlagValues.netnsMode(v)),
                    new Flag<>(
                            "output",
                            "table|json",
                            "table",
                            "A table, or the JSON of /api/v1/listeners.",
                            (b, v) -> b.output = output(v)),
                    new Flag<>(
                            "watch",
                            "duration",
                            "",
                            "Print again every DURATION (e.g. 2s) until interrupted.",
                            (b, v) -> b.watch = watch(v))));

    /** The options, or null when help was asked for. */
    static Options parse(List<String> args) throws FlagException {
        Builder b = new Builder();
        if (TABLE.parse(b, args) == FlagTable.Request.HELP) {
            return null;
        }
        return new Options(b.netns, b.output, b.watch);
    }

    private static Output output(String v) {
        return FlagValues.choice(v, Output.values(), o -> o.name().toLowerCase(Locale.ROOT), "expected table or json");
    }

    private static Duration watch(String v) {
        Duration d = Durations.parse(v);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be above 0 (a duration such as 2s)");
        }
        return d;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (FlagException e) {
            err.println("listenq-exporter listeners: " + e.getMessage());
            return 2;
        }
        if (o == null) {
            out.print(usage());
            return 0;
        }
        // Only the sampler's errors, on stderr: the table on stdout is the output.
        Logging.configure("error", LogFormat.LOGFMT);
        NetnsMode mode = o.netns();
        if (mode != NetnsMode.SELF) {
            List<String> missing = missingCapabilities();
            if (!missing.isEmpty()) {
                err.println("listenq-exporter listeners: showing this process's own network namespace only; "
                        + "--netns=all needs CAP_SYS_ADMIN and CAP_SYS_PTRACE (missing " + String.join(", ", missing)
                        + "; run as root)");
                mode = NetnsMode.SELF;
            }
        }
        Config config;
        try {
            config = ((Flags.Run) Flags.parse(
                            "--netns=" + mode.flagValue(),
                            "--log.level=error",
                            "--sample.interval="
                                    + Durations.format(o.watch() == null ? Duration.ofSeconds(1) : o.watch()),
                            "--sample.syn-queue-interval=0s"))
                    .config();
        } catch (FlagException e) {
            throw new IllegalStateException("built-in flags refused: " + e.getMessage(), e);
        }
        try (Sampler sampler = Sampler.create(config)) {
            sampler.start();
            Snapshot last = null;
            do {
                Snapshot s = awaitNext(sampler, last);
                if (s == null || nothingRead(s)) {
                    err.println("listenq-exporter listeners: nothing could be read"
                            + (s == null
                                    ? " (no sample within " + FIRST_ROUND_TIMEOUT.toSeconds() + " s)"
                                    : ": " + failures(s)));
                    return 1;
                }
                last = s;
                print(out, o, s, mode);
                if (o.watch() != null) {
                    Thread.sleep(o.watch());
                }
            } while (o.watch() != null);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void print(PrintStream out, Options o, Snapshot s, NetnsMode mode) {
        List<ListenerRow> rows = ListenerRows.of(s);
        if (o.output() == Output.JSON) {
            out.print(ListenersJson.render(s.timestampMillis(), rows));
        } else {
            if (o.watch() != null && System.console() != null) {
                out.print("\033[H\033[2J"); // clear the terminal between frames, as watch(1) does
            }
            out.print(ListenersText.table(rows));
            out.printf(
                    Locale.ROOT,
                    "%d listener(s) in %d namespace(s), netns mode %s%n",
                    rows.size(),
                    s.namespaces().size(),
                    mode.flagValue());
        }
        out.flush();
    }

    /** The next snapshot after {@code previous}, or null after the timeout. */
    private static Snapshot awaitNext(Sampler sampler, Snapshot previous) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_ROUND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Snapshot s = sampler.current();
            if (s != null && s != previous) {
                return s;
            }
            Thread.sleep(10);
        }
        return null;
    }

    /** No namespace sampled, or neither TCP nor unix listeners could be dumped in any. */
    static boolean nothingRead(Snapshot s) {
        if (s.namespaces().isEmpty()) {
            return true;
        }
        boolean tcp = false;
        boolean unix = false;
        for (CollectorResult c : s.collectors()) {
            tcp |= c.name().equals("tcp_listeners") && c.success();
            unix |= c.name().equals("unix_listeners") && c.success();
        }
        return !tcp && !unix;
    }

    private static String failures(Snapshot s) {
        if (s.namespaces().isEmpty()) {
            return "no namespace could be sampled " + s.netnsErrors();
        }
        return "the sock_diag dumps failed in every namespace";
    }

    private static List<String> missingCapabilities() {
        try {
            return Capabilities.readSelf(Path.of("/proc")).missingForOtherNamespaces();
        } catch (IOException e) {
            return List.of("unknown (" + e.getMessage() + ")");
        }
    }

    static String usage() {
        return """
                Usage: listenq-exporter listeners [--netns=auto|all|self] [--output=table|json] [--watch=DURATION]

                Every listening socket's accept queue, read from the kernel now (no server), fullest first:
                NETNS NAME FAMILY ADDRESS PORT QUEUE BACKLOG FILL% DROPS OWNER. FILL% is QUEUE over BACKLOG; above 100
                the queue is full (the kernel holds BACKLOG + 1). OWNER is the systemd unit, container or cgroup that
                created a TCP listener.

                Flags:
                """ + TABLE.describe() + """

                Exit status: 0 done, 1 nothing could be read, 2 bad flag.
                """;
    }
}
