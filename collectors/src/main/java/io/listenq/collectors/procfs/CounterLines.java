package io.listenq.collectors.procfs;

import java.util.Arrays;

/**
 * Walks the line pairs of {@code /proc/<pid>/net/netstat} and {@code /proc/<pid>/net/snmp}.
 *
 * <p>Both files are written by {@code netstat_seq_show} / {@code snmp_seq_show} in the kernel's
 * {@code net/ipv4/proc.c} as pairs: {@code "Prefix: Name1 Name2 ..."} then {@code "Prefix: v1 v2 ..."}.
 * This class checks the shape (matching prefixes, equal counts, decimal values, no prefix twice) and
 * hands each pair to a {@link Sink} as offsets into the text, so callers that want eight columns out
 * of three hundred allocate no strings. No regex: this runs for every namespace every second.
 *
 * <p>Values: the kernel prints unsigned 64-bit counters, but {@code Tcp: MaxConn} is printed signed
 * ({@code -1}, RFC 2012 "dynamic"). Both forms are accepted and stored as the same 64-bit pattern:
 * {@code 18446744073709551615} and {@code -1} both become {@code -1L}. Read counters with
 * {@link Long#toUnsignedString(long)} / {@link Long#compareUnsigned(long, long)}.
 *
 * <p>One instance per parse (it holds reusable offset arrays); not thread-safe.
 */
final class CounterLines {

    /** Receives one validated line pair. Offsets index into {@link #text()}. */
    interface Sink {
        void section(CounterLines lines, int prefixStart, int prefixEnd, int headerLine) throws ProcfsFormatException;
    }

    private final String source;
    private final String text;
    private int count;
    private int[] nameStart = new int[64];
    private int[] nameEnd = new int[64];
    private long[] values = new long[64];
    // Prefix offsets of the pairs seen so far, to reject a prefix printed twice.
    private int[] seenPrefix = new int[16];
    private int seen;

    private CounterLines(String source, String text) {
        this.source = source;
        this.text = text;
    }

    static void scan(String source, String text, Sink sink) throws ProcfsFormatException {
        new CounterLines(source, text).run(sink);
    }

    String text() {
        return text;
    }

    String source() {
        return source;
    }

    /** Number of columns in the current pair. */
    int count() {
        return count;
    }

    int nameStart(int i) {
        return nameStart[i];
    }

    int nameEnd(int i) {
        return nameEnd[i];
    }

    long value(int i) {
        return values[i];
    }

    /** Whether column {@code i}'s name equals {@code name}, without allocating. */
    boolean nameEquals(int i, String name) {
        int len = nameEnd[i] - nameStart[i];
        return len == name.length() && text.regionMatches(nameStart[i], name, 0, len);
    }

    private void run(Sink sink) throws ProcfsFormatException {
        int n = text.length();
        int pos = 0;
        int lineNo = 0;
        while (pos < n) {
            int hStart = pos;
            int hEnd = lineEnd(hStart);
            lineNo++;
            pos = hEnd + 1;
            if (isBlank(hStart, hEnd)) {
                continue; // a trailing newline or blank line carries no data
            }
            int headerLine = lineNo;
            int colon = text.indexOf(':', hStart);
            if (colon < 0 || colon >= hEnd || colon == hStart) {
                throw error(headerLine, "expected 'Prefix: names...', got '" + text.substring(hStart, hEnd) + "'");
            }
            if (pos >= n || isBlank(pos, lineEnd(pos))) {
                throw error(headerLine, text.substring(hStart, colon) + ": header line without its value line");
            }
            int vStart = pos;
            int vEnd = lineEnd(vStart);
            lineNo++;
            pos = vEnd + 1;
            int prefixLen = colon - hStart + 1; // including ':'
            if (vEnd - vStart < prefixLen || !text.regionMatches(vStart, text, hStart, prefixLen)) {
                throw error(
                        lineNo,
                        "value line does not start with '" + text.substring(hStart, colon + 1) + "': '"
                                + text.substring(vStart, vEnd) + "'");
            }
            checkNotSeen(hStart, colon, headerLine);
            count = tokenizeNames(colon + 1, hEnd);
            if (count == 0) {
                throw error(headerLine, text.substring(hStart, colon) + ": no column names");
            }
            parseValues(vStart + prefixLen, vEnd, lineNo, hStart, colon);
            sink.section(this, hStart, colon, headerLine);
        }
    }

    private int lineEnd(int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    private void checkNotSeen(int pStart, int pEnd, int headerLine) throws ProcfsFormatException {
        int len = pEnd - pStart + 1; // compare including ':' so "Ip" does not match "IpExt"
        for (int i = 0; i < seen; i++) {
            if (text.regionMatches(seenPrefix[i], text, pStart, len)) {
                throw error(headerLine, text.substring(pStart, pEnd) + ": prefix appears twice");
            }
        }
        if (seen == seenPrefix.length) {
            seenPrefix = Arrays.copyOf(seenPrefix, seen * 2);
        }
        seenPrefix[seen++] = pStart;
    }

    private int tokenizeNames(int from, int to) {
        int c = 0;
        for (int start = skipSpaces(from, to); start < to; start = skipSpaces(start, to)) {
            int i = tokenEnd(start, to);
            if (c == nameStart.length) {
                nameStart = Arrays.copyOf(nameStart, c * 2);
                nameEnd = Arrays.copyOf(nameEnd, c * 2);
                values = Arrays.copyOf(values, c * 2);
            }
            nameStart[c] = start;
            nameEnd[c] = i;
            c++;
            start = i;
        }
        return c;
    }

    private int skipSpaces(int i, int to) {
        while (i < to && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private int tokenEnd(int i, int to) {
        while (i < to && text.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private void parseValues(int from, int to, int lineNo, int pStart, int pEnd) throws ProcfsFormatException {
        int c = 0;
        for (int start = skipSpaces(from, to); start < to; ) {
            int i = tokenEnd(start, to);
            if (c < count) {
                values[c] = parseValue(start, i, lineNo, c);
            }
            c++;
            start = skipSpaces(i, to);
        }
        if (c != count) {
            throw error(lineNo, text.substring(pStart, pEnd) + ": " + count + " names but " + c + " values");
        }
    }

    private long parseValue(int start, int end, int lineNo, int column) throws ProcfsFormatException {
        char first = text.charAt(start);
        if (first == '+') {
            throw new ProcfsFormatException(
                    source,
                    lineNo,
                    "value '" + text.substring(start, end) + "' of column "
                            + text.substring(nameStart[column], nameEnd[column])
                            + " has a sign the kernel never prints");
        }
        try {
            // parseUnsignedLong rejects '-'; Long.parseLong takes the signed form (Tcp: MaxConn -1).
            return first == '-' ? Long.parseLong(text, start, end, 10) : Long.parseUnsignedLong(text, start, end, 10);
        } catch (NumberFormatException e) {
            throw new ProcfsFormatException(
                    source,
                    lineNo,
                    "value '" + text.substring(start, end) + "' of column "
                            + text.substring(nameStart[column], nameEnd[column]) + " is not a 64-bit decimal integer",
                    e);
        }
    }

    private ProcfsFormatException error(int line, String problem) {
        return new ProcfsFormatException(source, line, problem);
    }
}
