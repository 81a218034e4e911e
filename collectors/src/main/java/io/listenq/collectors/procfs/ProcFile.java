package io.listenq.collectors.procfs;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a procfs file whole, with the first {@code read(2)} asking for far more than the file holds.
 *
 * <p>{@code Files.readString} is wrong here: {@code Files.size()} is 0 for procfs files, so the JDK probes
 * with a one-byte read first, and sysctl files ({@code proc_sys_call_handler} / {@code proc_dointvec} in
 * kernel/sysctl.c) answer a read at a non-zero offset with EOF: {@code /proc/sys/net/core/somaxconn} holding
 * "4096" came back as "4". One large read returns the whole value; seq_file files (net/netstat, net/snmp)
 * continue correctly across reads, so the loop to EOF is safe for them.
 */
public final class ProcFile {
    private static final int FIRST_READ = 16 * 1024;

    private ProcFile() {}

    /** One reusable buffer per thread: the sampler reads two files per namespace per round. */
    private static final ThreadLocal<ProcBytes> BUFFER = ThreadLocal.withInitial(() -> new ProcBytes(FIRST_READ));

    /**
     * Opens, reads and closes {@code file}.
     *
     * @throws java.nio.file.NoSuchFileException if it is missing
     */
    public static String read(Path file) throws IOException {
        int fd = NativeFiles.openRead(file);
        try {
            return read(fd, file.toString());
        } finally {
            Native.close(fd);
        }
    }

    /**
     * Reads an open procfs file again from offset 0 with positional reads (seq_file regenerates the text when
     * a read starts at 0), so that the file is opened once and read every round: opening
     * {@code /proc/.../net/netstat} costs as much as generating it (measured: 146 us open+read+close,
     * 62 us pread on an open fd).
     */
    public static String read(int fd, String name) throws IOException {
        ProcBytes data = BUFFER.get();
        data.read(fd, name);
        return data.text();
    }

    /** {@link #read(int, String)} for a file generated in one piece ({@link ProcBytes#readWhole}). */
    public static String readWhole(int fd, String name) throws IOException {
        ProcBytes data = BUFFER.get();
        data.readWhole(fd, name);
        return data.text();
    }
}
