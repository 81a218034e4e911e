package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The per-namespace sysctls that shape listen queues.
 *
 * <p>Each is a file under {@code /proc/sys} holding one integer and a newline ({@code proc_dointvec} in
 * {@code kernel/sysctl.c}). The {@code net.*} ones resolve against the network namespace of the calling
 * <em>thread</em> at open time (kernel.md §3): read them on the thread that did {@code setns}; the
 * {@code procSys} path can be {@code <procRoot>/sys} or {@code <procRoot>/thread-self/...}-based, but the
 * thread is what selects the namespace.
 *
 * @param somaxconn {@code net.core.somaxconn}: cap on every listen backlog in the namespace
 * @param tcpMaxSynBacklog {@code net.ipv4.tcp_max_syn_backlog}
 * @param tcpSyncookies {@code net.ipv4.tcp_syncookies}: 0 off, 1 when the SYN queue is full, 2 always
 * @param tcpAbortOnOverflow {@code net.ipv4.tcp_abort_on_overflow}: 1 sends RST on a full accept queue
 */
public record Sysctls(long somaxconn, long tcpMaxSynBacklog, long tcpSyncookies, long tcpAbortOnOverflow) {

    static final String SOMAXCONN = "net/core/somaxconn";
    static final String TCP_MAX_SYN_BACKLOG = "net/ipv4/tcp_max_syn_backlog";
    static final String TCP_SYNCOOKIES = "net/ipv4/tcp_syncookies";
    static final String TCP_ABORT_ON_OVERFLOW = "net/ipv4/tcp_abort_on_overflow";

    /**
     * Reads the four files under {@code procSys} (normally {@code <procRoot>/sys}).
     *
     * @throws java.nio.file.NoSuchFileException if a file is missing (kept distinguishable on purpose:
     *     e.g. a kernel without IPv4 has no {@code net/ipv4})
     * @throws ProcfsFormatException if a file does not hold exactly one integer
     */
    public static Sysctls read(Path procSys) throws IOException {
        Objects.requireNonNull(procSys, "procSys");
        return new Sysctls(readInteger(procSys.resolve(SOMAXCONN)), readInteger(procSys.resolve(TCP_MAX_SYN_BACKLOG)),
                readInteger(procSys.resolve(TCP_SYNCOOKIES)), readInteger(procSys.resolve(TCP_ABORT_ON_OVERFLOW)));
    }

    /** Reads one single-integer sysctl file. */
    public static long readInteger(Path file) throws IOException {
        return parseInteger(file.toString(), ProcFile.read(file));
    }

    /**
     * Parses a single-integer sysctl file's content: surrounding whitespace allowed, one signed decimal
     * integer, nothing else.
     *
     * @throws ProcfsFormatException naming {@code source} and the line where the problem is
     */
    public static long parseInteger(String source, String text) throws ProcfsFormatException {
        Objects.requireNonNull(source, "source");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new ProcfsFormatException(source, 1, "empty, expected one integer");
        }
        int line = 1;
        for (int i = 0, lead = text.indexOf(trimmed.charAt(0)); i < lead; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (Character.isWhitespace(trimmed.charAt(i))) {
                throw new ProcfsFormatException(source, line, "expected one integer, got '" + trimmed + "'");
            }
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new ProcfsFormatException(source, line, "not a 64-bit decimal integer: '" + trimmed + "'", e);
        }
    }
}
