package io.listenq.collectors.procfs;

/**
 * The {@code inuse} counts of {@code /proc/<pid>/net/sockstat} ({@code TCP: inuse 3 orphan 0 tw 0 alloc 5 mem 0})
 * and {@code sockstat6} ({@code TCP6: inuse 2}), printed by {@code sockstat_seq_show} in net/ipv4/proc.c and
 * {@code sockstat6_seq_show} in net/ipv6/proc.c.
 *
 * <p>{@code inuse} is {@code sock_prot_inuse_get(net, &tcp_prot)}: per network namespace, it moves whenever a
 * socket of that protocol is hashed or unhashed in the namespace, which includes every {@code listen()} and
 * every close of a listener. (orphan, tw and alloc are host-wide.)
 */
public final class SockStat {
    private SockStat() {}

    /**
     * The value after {@code inuse} on the line that starts with {@code protocol + ":"}.
     *
     * @throws ProcfsFormatException when the line is missing or malformed
     */
    public static long inuse(String source, String text, String protocol) throws ProcfsFormatException {
        return inuse(source, ProcBytes.of(text), protocol);
    }

    /** The same from the bytes as read, without allocating (the sampler's path, every namespace every round). */
    public static long inuse(String source, ProcBytes text, String protocol) throws ProcfsFormatException {
        int line = 1;
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = start;
            while (end < length && text.at(end) != '\n') {
                end++;
            }
            int from = matchPrefix(text, start, end, protocol);
            if (from >= 0) {
                long value = 0;
                int to = from;
                while (to < end && text.at(to) >= '0' && text.at(to) <= '9' && to - from < 19) {
                    value = value * 10 + (text.at(to) - '0');
                    to++;
                }
                if (to == from || to - from > 18 || (to < end && text.at(to) != ' ')) {
                    throw new ProcfsFormatException(source, line, "expected a count after '" + protocol + ": inuse'");
                }
                return value;
            }
            start = end + 1;
            line++;
        }
        throw new ProcfsFormatException(source, line, "no '" + protocol + ": inuse' line");
    }

    /** Where the count starts if the line [start, end) begins with {@code protocol + ": inuse "}, else -1. */
    private static int matchPrefix(ProcBytes text, int start, int end, String protocol) {
        int p = start;
        for (int i = 0; i < protocol.length(); i++, p++) {
            if (p >= end || text.at(p) != protocol.charAt(i)) {
                return -1;
            }
        }
        for (int i = 0; i < INUSE.length(); i++, p++) {
            if (p >= end || text.at(p) != INUSE.charAt(i)) {
                return -1;
            }
        }
        return p;
    }

    private static final String INUSE = ": inuse ";
}
