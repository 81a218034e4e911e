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
        for (int start = 0; start < text.length(); line++) {
            int end = lineEnd(text, start);
            int from = matchPrefix(text, start, end, protocol);
            if (from >= 0) {
                return count(source, text, from, end, line, protocol, INUSE);
            }
            start = end + 1;
        }
        throw new ProcfsFormatException(source, line, "no '" + protocol + ": inuse' line");
    }

    /** Where the count starts if the line [start, end) begins with {@code protocol + ": inuse "}, else -1. */
    private static int matchPrefix(ProcBytes text, int start, int end, String protocol) {
        int p = match(text, start, end, protocol);
        return p < 0 ? -1 : match(text, p, end, INUSE);
    }

    /** The offset after {@code word} if [start, end) begins with it, else -1. */
    private static int match(ProcBytes text, int start, int end, String word) {
        int p = start;
        for (int i = 0; i < word.length(); i++, p++) {
            if (p >= end || text.at(p) != word.charAt(i)) {
                return -1;
            }
        }
        return p;
    }

    private static final String INUSE = ": inuse ";
    private static final String USED = "sockets: used ";
    /** The protocols whose {@code inuse} both files print for IP sockets (FRAG counts fragment queues, not sockets). */
    private static final String[] IP_PROTOCOLS = {"TCP", "UDP", "UDPLITE", "RAW", "TCP6", "UDP6", "UDPLITE6", "RAW6"};

    /**
     * {@code sockets: used} of sockstat: every socket of the namespace that a process holds, of any family
     * ({@code sock_inuse_get}: {@code sk_alloc} and {@code sk_clone_lock} add one for a socket that holds a
     * reference on its namespace, {@code __sk_destruct} takes it away; net/core/sock.c).
     *
     * @throws ProcfsFormatException when the line is missing or malformed
     */
    public static long used(String source, ProcBytes text) throws ProcfsFormatException {
        int line = 1;
        for (int start = 0; start < text.length(); line++) {
            int end = lineEnd(text, start);
            int from = match(text, start, end, USED);
            if (from >= 0) {
                return count(source, text, from, end, line, "sockets", ": used ");
            }
            start = end + 1;
        }
        throw new ProcfsFormatException(source, line, "no 'sockets: used' line");
    }

    /**
     * The sum of the {@code inuse} counts of the IP protocols in {@code text} (sockstat or sockstat6): hashed TCP,
     * UDP, UDP-Lite and raw sockets. A protocol the file does not print adds nothing.
     */
    public static long ipInUse(String source, ProcBytes text) throws ProcfsFormatException {
        long sum = 0;
        int line = 1;
        for (int start = 0; start < text.length(); line++) {
            int end = lineEnd(text, start);
            for (String protocol : IP_PROTOCOLS) {
                int from = matchPrefix(text, start, end, protocol);
                if (from >= 0) {
                    sum += count(source, text, from, end, line, protocol, INUSE);
                    break;
                }
            }
            start = end + 1;
        }
        return sum;
    }

    private static int lineEnd(ProcBytes text, int start) {
        int end = start;
        while (end < text.length() && text.at(end) != '\n') {
            end++;
        }
        return end;
    }

    /** The count at {@code from}; the error names {@code name + key} (joined only then: this runs every round). */
    private static long count(String source, ProcBytes text, int from, int end, int line, String name, String key)
            throws ProcfsFormatException {
        long value = 0;
        int to = from;
        while (to < end && text.at(to) >= '0' && text.at(to) <= '9' && to - from < 19) {
            value = value * 10 + (text.at(to) - '0');
            to++;
        }
        if (to == from || to - from > 18 || (to < end && text.at(to) != ' ')) {
            throw new ProcfsFormatException(
                    source, line, "expected a count after '" + name + key.stripTrailing() + "'");
        }
        return value;
    }
}
