package io.listenq.collectors.procfs;

import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NativeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A procfs file's bytes as last read, in a buffer reused from read to read. The sampler re-reads the same files of
 * every namespace every round through fds it keeps open (docs/kernel.md §7), and an idle namespace's files come
 * back byte for byte the same: comparing is cheaper than parsing, and neither allocates. Not thread-safe.
 */
public final class ProcBytes {
    /** No file we read is near this; a procfs file that is must not make us allocate without bound. */
    static final int MAX_SIZE = 4 * 1024 * 1024;

    private byte[] data;
    private int length;
    /** False before the first read and after {@link #clear()}. */
    private boolean valid;

    /** @param capacity the first buffer size; it doubles as a file needs (net/snmp is ~1.5 KiB on 6.18) */
    public ProcBytes(int capacity) {
        this.data = new byte[Math.max(16, capacity)];
    }

    /** Bytes of {@code text} (ASCII), as if read from a file: for parsers' tests and their String entry points. */
    static ProcBytes of(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        ProcBytes p = new ProcBytes(b.length);
        System.arraycopy(b, 0, p.data, 0, b.length);
        p.length = b.length;
        p.valid = true;
        return p;
    }

    /**
     * Reads the file open as {@code fd} whole from offset 0 with {@code pread} until EOF, replacing the content.
     * seq_file regenerates the text when a read starts at 0, and a sysctl file answers only a read at offset 0
     * (docs/kernel.md §7), so one large first read is what both need. {@code name} is the file's, for errors.
     *
     * @return the length read
     */
    public int read(int fd, String name) throws IOException {
        return read(fd, name, false);
    }

    /**
     * Like {@link #read(int, String)}, for a file the kernel generates in one piece: a read that returns
     * fewer bytes than asked has returned the whole file, and the read that would only say EOF is left out. That
     * read is not free: at a non-zero offset seq_file runs the whole show() again to skip to it (fs/seq_file.c
     * seq_read_iter, traverse), so an idle namespace's net/snmp, sockstat and sockstat6 cost two generations each.
     * True of the single_open() files (net/snmp, net/netstat, net/sockstat, net/sockstat6: the one record is
     * grown in the seq buffer until it fits, then copied out up to the count asked) and of sysctl files (one
     * value, answered only at offset 0); not of multi-record seq files ({@code net/tcp}, {@code mountinfo}),
     * which return one page at a time.
     */
    public int readWhole(int fd, String name) throws IOException {
        return read(fd, name, true);
    }

    private int read(int fd, String name, boolean shortIsWhole) throws IOException {
        valid = false; // until the read completes
        int len = 0;
        while (true) {
            if (len == data.length) {
                if (data.length >= MAX_SIZE) {
                    throw new IOException(name + " is larger than " + MAX_SIZE + " bytes");
                }
                data = Arrays.copyOf(data, data.length * 2);
            }
            int n = pread(fd, name, len);
            if (n == 0) { // EOF: the count asked is never 0
                length = len;
                valid = true;
                return len;
            }
            len += n;
            if (shortIsWhole && len < data.length) {
                length = len;
                valid = true;
                return len;
            }
        }
    }

    /** The rest of the buffer from file offset {@code len}; a failure names the file (joined only then). */
    private int pread(int fd, String name, int len) throws IOException {
        try {
            return NativeFiles.pread(fd, data, len, data.length - len, len);
        } catch (NativeException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    public int length() {
        return length;
    }

    /** Byte {@code i} (0 <= i < length()). */
    public byte at(int i) {
        return data[i];
    }

    /** Whether both hold the same bytes. */
    public boolean contentEquals(ProcBytes other) {
        return valid && other.valid && Arrays.equals(data, 0, length, other.data, 0, other.length);
    }

    /**
     * Takes {@code other}'s bytes, growing to just their length when needed: a copy kept per namespace to compare
     * with needs no room to read into (other's buffer is the thread's 16 KiB scratch).
     */
    public void copyFrom(ProcBytes other) {
        if (data.length < other.length) {
            data = new byte[other.length];
        }
        System.arraycopy(other.data, 0, data, 0, other.length);
        length = other.length;
        valid = other.valid;
    }

    /** The content as text (allocates: for parsing what changed). */
    public String text() {
        return new String(data, 0, length, StandardCharsets.US_ASCII);
    }

    /** Forgets the content: it then equals nothing until the next read or copy. */
    public void clear() {
        length = 0;
        valid = false;
    }

    @Override
    public String toString() {
        return "ProcBytes[" + length + " bytes]";
    }
}
