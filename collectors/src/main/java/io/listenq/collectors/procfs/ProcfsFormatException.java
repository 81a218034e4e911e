package io.listenq.collectors.procfs;

import java.io.IOException;
import java.util.Objects;

/**
 * A procfs file whose content does not have the expected shape.
 *
 * <p>The message names the source (whatever the caller called the file, usually its path), the 1-based
 * line number and what was wrong, e.g. {@code /proc/42/net/snmp:4: Tcp: 15 names but 14 values}.
 * A missing file is not reported with this type: readers let {@link java.nio.file.NoSuchFileException}
 * through so callers can tell "gone" (process exited, namespace deleted) from "garbled".
 */
public final class ProcfsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    public ProcfsFormatException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    public ProcfsFormatException(String source, int line, String problem, Throwable cause) {
        super(
                Objects.requireNonNull(source, "source") + ":" + line + ": "
                        + Objects.requireNonNull(problem, "problem"),
                cause);
        if (line < 1) {
            throw new IllegalArgumentException("line numbers are 1-based: " + line);
        }
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The name the caller gave the parsed text (a path, or a test's label). */
    public String source() {
        return source;
    }

    /** 1-based line number of the offending line. */
    public int line() {
        return line;
    }

    /** What was wrong, without source and line. */
    public String problem() {
        return problem;
    }
}
