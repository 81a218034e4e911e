package io.listenq.exporter.cli;

import io.listenq.exporter.log.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The daemon's validated configuration, one field per flag (see {@link Flags}). */
public record Config(
        ListenAddress listenAddress,
        String telemetryPath,
        Duration sampleInterval,
        Duration peakWindow,
        Duration synQueueInterval,
        boolean skipIdle,
        Path procfsRoot,
        Path netnsRoot,
        Path dockerNetnsRoot,
        NetnsMode netnsMode,
        Optional<Pattern> netnsInclude,
        Optional<Pattern> netnsExclude,
        Duration netnsRefreshInterval,
        String logLevel,
        LogFormat logFormat,
        Optional<Path> webConfigFile,
        int maxListeners,
        int maxConcurrentScrapes,
        int maxConnections) {

    public Config {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(procfsRoot, "procfsRoot");
        Objects.requireNonNull(logFormat, "logFormat");
        if (!telemetryPath.startsWith("/") || telemetryPath.length() < 2) {
            throw new IllegalArgumentException(
                    "--web.telemetry-path=" + telemetryPath + ": must start with / and not be / (e.g. /metrics)");
        }
        // The messages name the flag: a user sees only this one line (Flags, exit status 2).
        requirePositive(sampleInterval, "--sample.interval");
        requirePositive(peakWindow, "--peak.window");
        requirePositive(netnsRefreshInterval, "--netns.refresh-interval");
        if (synQueueInterval.isNegative()) {
            throw new IllegalArgumentException("--sample.syn-queue-interval: must not be negative");
        }
        if (maxListeners < 1) {
            throw new IllegalArgumentException("--max-listeners: must be at least 1");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1");
        }
        if (maxConcurrentScrapes < 1) {
            throw new IllegalArgumentException("--web.max-requests: must be at least 1");
        }
    }

    private static void requirePositive(Duration d, String flag) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(flag + "=" + Durations.format(d) + ": must be positive");
        }
    }
}
