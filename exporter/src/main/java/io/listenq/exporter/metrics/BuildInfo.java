package io.listenq.exporter.metrics;

import java.util.Objects;

/**
 * The labels of {@code listenq_build_info}: the exporter's version, the git commit it was built from ("unknown"
 * outside a git checkout) and the Java runtime it runs on (the analogue of Go exporters' goversion).
 */
public record BuildInfo(String version, String revision, String javaVersion) {
    public BuildInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(javaVersion, "javaVersion");
    }
}
