package io.listenq.exporter.cli;

import io.listenq.exporter.cli.FlagTable.Flag;
import io.listenq.exporter.log.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The daemon's command-line flags in the Prometheus exporters' style ({@code --web.listen-address=:9469} or
 * {@code --web.listen-address :9469}). Every flag, its default and its help live in one {@link FlagTable}, which
 * {@link #usage()} prints, so {@code --help} cannot fall behind.
 */
public final class Flags {
    /** What {@link #parse} returns: a config to run, or a request for help/version. */
    public sealed interface Parsed permits Run, Help, Version {}

    public record Run(Config config) implements Parsed {}

    public record Help() implements Parsed {}

    public record Version() implements Parsed {}

    private static final FlagTable<Builder> TABLE = new FlagTable<>(
            "listenq-exporter",
            true,
            List.of(
                    new Flag<>(
                            "web.listen-address",
                            "[host]:port",
                            ":9469",
                            "Address on which to expose metrics and the web interface.",
                            (b, v) -> b.listenAddress = ListenAddress.parse(v)),
                    new Flag<>(
                            "web.telemetry-path",
                            "path",
                            "/metrics",
                            "Path under which to expose metrics.",
                            (b, v) -> b.telemetryPath = v),
                    new Flag<>(
                            "web.config.file",
                            "file",
                            "",
                            "Exporter-toolkit web configuration (TLS, basic auth, headers). Reloaded when its files "
                                    + "change and on SIGHUP.",
                            (b, v) -> b.webConfigFile = v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v))),
                    new Flag<>(
                            "web.max-requests",
                            "n",
                            "10",
                            "Maximum number of concurrent scrapes; more get HTTP 503.",
                            (b, v) -> b.maxConcurrentScrapes = FlagValues.wholeNumber(v, 1, Integer.MAX_VALUE)),
                    new Flag<>(
                            "web.max-connections",
                            "n",
                            "2500",
                            "Maximum number of open HTTP connections; one more evicts the oldest that has not sent a "
                                    + "request yet, or is closed at once.",
                            (b, v) -> b.maxConnections = FlagValues.wholeNumber(v, 1, Integer.MAX_VALUE)),
                    new Flag<>(
                            "sample.interval",
                            "duration",
                            "1s",
                            "Time between two samples of every namespace's queues and counters.",
                            (b, v) -> b.sampleInterval = Durations.parse(v)),
                    new Flag<>(
                            "sample.syn-queue-interval",
                            "duration",
                            "5s",
                            "Minimum time between two SYN-RECV dumps of one namespace (they walk the host's "
                                    + "established hash); 0s dumps whenever it can matter.",
                            (b, v) -> b.synQueueInterval = Durations.parse(v)),
                    new Flag<>(
                            "sample.skip-idle",
                            "true|false",
                            "true",
                            "Skip the TCP listener dumps of a namespace whose counters did not move and whose queues were "
                                    + "empty (exact: see README); false dumps every namespace every round.",
                            (b, v) -> b.skipIdle = FlagValues.bool(v)),
                    new Flag<>(
                            "peak.window",
                            "duration",
                            "60s",
                            "Window of listenq_accept_queue_peak_length: the largest sampled accept queue within it.",
                            (b, v) -> b.peakWindow = Durations.parse(v)),
                    new Flag<>(
                            "max-listeners",
                            "n",
                            "10000",
                            "Maximum number of listener series exported: listeners in trouble first, then round-robin "
                                    + "over namespaces; the number left out is listenq_listeners_dropped.",
                            (b, v) -> b.maxListeners = FlagValues.wholeNumber(v, 1, Integer.MAX_VALUE)),
                    new Flag<>(
                            "netns",
                            "auto|all|self",
                            "auto",
                            "Namespaces to sample: all (needs CAP_SYS_ADMIN and CAP_SYS_PTRACE), self (no privilege), "
                                    + "or auto (all when those capabilities are effective, else self).",
                            (b, v) -> b.netnsMode = FlagValues.netnsMode(v)),
                    new Flag<>(
                            "netns.include",
                            "regex",
                            "",
                            "Only sample namespaces whose name, inode, container id, pod uid or command matches.",
                            (b, v) -> b.netnsInclude = pattern(v)),
                    new Flag<>(
                            "netns.exclude",
                            "regex",
                            "",
                            "Skip namespaces whose name, inode, container id, pod uid or command matches.",
                            (b, v) -> b.netnsExclude = pattern(v)),
                    new Flag<>(
                            "netns.refresh-interval",
                            "duration",
                            "10s",
                            "Time between two scans for namespaces (and for new listeners in idle namespaces).",
                            (b, v) -> b.netnsRefreshInterval = Durations.parse(v)),
                    new Flag<>(
                            "path.procfs",
                            "path",
                            "/proc",
                            "procfs mountpoint (the host's /proc when run in a container with hostPID).",
                            (b, v) -> b.procfsRoot = Path.of(v)),
                    new Flag<>(
                            "path.netns",
                            "path",
                            "/run/netns",
                            "Directory of named network namespaces (ip netns).",
                            (b, v) -> b.netnsRoot = Path.of(v)),
                    new Flag<>(
                            "path.docker-netns",
                            "path",
                            "/var/run/docker/netns",
                            "Directory of Docker's network namespace bind mounts.",
                            (b, v) -> b.dockerNetnsRoot = Path.of(v)),
                    new Flag<>(
                            "log.level",
                            "level",
                            "info",
                            "Only log messages with the given severity or above: debug, info, warn, error.",
                            (b, v) -> b.logLevel = logLevel(v)),
                    new Flag<>(
                            "log.format",
                            "logfmt|json",
                            "logfmt",
                            "Output format of log messages (exporter-toolkit's fields: time, level, source, msg).",
                            (b, v) -> b.logFormat = logFormat(v))));

    private Flags() {}

    /** Parses the command line; a {@link FlagException} carries the single line to print. */
    public static Parsed parse(String... args) throws FlagException {
        Builder b = new Builder();
        switch (TABLE.parse(b, List.of(args))) {
            case HELP -> {
                return new Help();
            }
            case VERSION -> {
                return new Version();
            }
            case RUN -> {}
        }
        try {
            return new Run(b.build());
        } catch (IllegalArgumentException e) {
            throw new FlagException("invalid configuration: " + e.getMessage());
        }
    }

    /** The {@code --help} text: every flag with its default. */
    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: listenq-exporter [<flags>]\n")
                .append(
                        "       listenq-exporter listeners [--netns=...] [--output=table|json] [--watch=DURATION]"
                                + "  (see listeners --help)\n"
                                + "       listenq-exporter drill [--netns=NAME|INODE|PID] [--duration=3m] ...  (see drill --help)\n\n")
                .append(
                        "Prometheus exporter for Linux listen-queue overflows, per listener and per network namespace.\n\n")
                .append("Flags:\n")
                .append("  -h, --help    Show this help and exit.\n")
                .append("      --version Show the version and exit.\n");
        sb.append(TABLE.describe());
        return sb.toString();
    }

    private static Optional<Pattern> pattern(String v) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(v));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " near index " + e.getIndex());
        }
    }

    private static String logLevel(String v) {
        return switch (v) {
            case "debug", "info", "warn", "error" -> v;
            default -> throw new IllegalArgumentException("expected debug, info, warn or error");
        };
    }

    private static LogFormat logFormat(String v) {
        return FlagValues.choice(v, LogFormat.values(), LogFormat::flagValue, "expected logfmt or json");
    }

    private static final class Builder {
        ListenAddress listenAddress;
        String telemetryPath;
        Duration sampleInterval;
        Duration peakWindow;
        Duration synQueueInterval;
        boolean skipIdle;
        Path procfsRoot;
        Path netnsRoot;
        Path dockerNetnsRoot;
        NetnsMode netnsMode;
        Optional<Pattern> netnsInclude = Optional.empty();
        Optional<Pattern> netnsExclude = Optional.empty();
        Duration netnsRefreshInterval;
        String logLevel;
        LogFormat logFormat;
        Optional<Path> webConfigFile = Optional.empty();
        int maxListeners;
        int maxConcurrentScrapes;
        int maxConnections;

        Config build() {
            return new Config(
                    listenAddress,
                    telemetryPath,
                    sampleInterval,
                    peakWindow,
                    synQueueInterval,
                    skipIdle,
                    procfsRoot,
                    netnsRoot,
                    dockerNetnsRoot,
                    netnsMode,
                    netnsInclude,
                    netnsExclude,
                    netnsRefreshInterval,
                    logLevel,
                    logFormat,
                    webConfigFile,
                    maxListeners,
                    maxConcurrentScrapes,
                    maxConnections);
        }
    }
}
