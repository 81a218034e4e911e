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
        String prefix = protocol + ": inuse ";
        int line = 1;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith(prefix, start)) {
                int from = start + prefix.length();
                int to = from;
                while (to < end && text.charAt(to) >= '0' && text.charAt(to) <= '9') {
                    to++;
                }
                if (to == from || to - from > 18 || (to < end && text.charAt(to) != ' ')) {
                    throw new ProcfsFormatException(source, line, "expected a count after '" + prefix.strip() + "'");
                }
                return Long.parseLong(text, from, to, 10);
            }
            start = end + 1;
            line++;
        }
        throw new ProcfsFormatException(source, line, "no '" + protocol + ": inuse' line");
    }
}
