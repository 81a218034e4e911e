package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The per-namespace sysctls that shape listen queues, each a file under {@code /proc/sys} holding one integer
 * and a newline ({@code proc_dointvec}, kernel/sysctl.c). What each means: Documentation/networking/ip-sysctl.rst.
 *
 * <p>The {@code net.*} files resolve against the network namespace of the calling <em>thread</em> when they are
 * opened (docs/kernel.md §7): read them on the thread that did {@code setns}. The {@code procSys}
 * root only says where procfs is mounted; the thread selects the namespace.
 */
public enum Sysctl {
    /** Cap on every listen() backlog in the namespace. */
    SOMAXCONN("net/core/somaxconn"),
    /** SYN-queue reservation threshold when syncookies are off. */
    TCP_MAX_SYN_BACKLOG("net/ipv4/tcp_max_syn_backlog"),
    /** 0 off, 1 cookies when the SYN queue is full, 2 always. */
    TCP_SYNCOOKIES("net/ipv4/tcp_syncookies"),
    /** 1: a full accept queue answers the final ACK with RST instead of dropping it. */
    TCP_ABORT_ON_OVERFLOW("net/ipv4/tcp_abort_on_overflow");

    private final String path;

    Sysctl(String path) {
        this.path = path;
    }

    /** Path below {@code /proc/sys}, e.g. {@code net/core/somaxconn}. */
    public String path() {
        return path;
    }

    /** The name {@code sysctl(8)} uses, e.g. {@code net.core.somaxconn}. */
    public String dottedName() {
        return path.replace('/', '.');
    }

    /**
     * Reads this sysctl under {@code procSys} (normally {@code <procRoot>/sys}).
     *
     * @throws java.nio.file.NoSuchFileException if the file is missing (kept distinguishable on purpose:
     *     e.g. a kernel without IPv4 has no {@code net/ipv4})
     * @throws ProcfsFormatException if the file does not hold exactly one integer
     */
    public long read(Path procSys) throws IOException {
        Path file = Objects.requireNonNull(procSys, "procSys").resolve(path);
        return parse(file.toString(), ProcFile.read(file));
    }

    /**
     * Parses a single-integer sysctl file's content: surrounding whitespace allowed, one signed decimal
     * integer, nothing else.
     *
     * @throws ProcfsFormatException naming {@code source} and the line where the problem is
     */
    public static long parse(String source, String text) throws ProcfsFormatException {
        return parse(source, ProcBytes.of(Objects.requireNonNull(text, "text")));
    }

    /** The same from the bytes as read; allocates nothing for a plain value (the sampler's path). */
    public static long parse(String source, ProcBytes text) throws ProcfsFormatException {
        Objects.requireNonNull(source, "source");
        int from = 0;
        int to = text.length();
        int line = 1;
        while (from < to && isWhitespace(text.at(from))) {
            line += text.at(from) == '\n' ? 1 : 0;
            from++;
        }
        while (to > from && isWhitespace(text.at(to - 1))) {
            to--;
        }
        if (from == to) {
            throw new ProcfsFormatException(source, 1, "empty, expected one integer");
        }
        boolean negative = text.at(from) == '-';
        int digits = negative ? from + 1 : from;
        long value = 0;
        boolean plain = to - digits >= 1 && to - digits <= 18;
        for (int i = digits; plain && i < to; i++) {
            byte b = text.at(i);
            plain = b >= '0' && b <= '9';
            value = value * 10 + (b - '0');
        }
        return plain ? (negative ? -value : value) : parseUnusual(source, line, trimmed(text, from, to));
    }

    /** Anything but a sign and up to 18 digits: whitespace inside, 19 digits, a '+', garbage. */
    private static long parseUnusual(String source, int line, String trimmed) throws ProcfsFormatException {
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

    /** {@link Character#isWhitespace} for the ASCII range, which is all procfs prints. */
    private static boolean isWhitespace(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    }

    private static String trimmed(ProcBytes text, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            sb.append((char) (text.at(i) & 0xff));
        }
        return sb.toString();
    }
}
