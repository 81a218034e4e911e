package io.listenq.collectors.procfs;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@link Sysctl} files of one network namespace, each opened once and re-read with {@code pread}. A
 * {@code /proc/sys/net/*} file resolves to the namespace of the thread that opens it, and the open file keeps
 * reading that namespace's value from any thread afterwards (docs/kernel.md §7): open each on the thread that
 * entered the namespace ({@link #needsOpen} says whether one is missing), read from anywhere. A file that fails is
 * closed and opened again at its next read. The files are raw descriptors ({@link NativeFiles}) that only
 * {@link #close()} releases. Not thread-safe.
 */
public final class SysctlFiles implements AutoCloseable {
    private static final Sysctl[] SYSCTLS = Sysctl.values();

    private final Path procSys;
    private final String[] names = new String[SYSCTLS.length];
    /** -1 where not open. */
    private final int[] fds = new int[SYSCTLS.length];

    private final ProcBytes text = new ProcBytes(32);

    /** @param procSys normally {@code <procRoot>/sys} */
    public SysctlFiles(Path procSys) {
        this.procSys = procSys;
        for (Sysctl s : SYSCTLS) {
            // interned: every namespace's files have the same names, kept for errors only
            names[s.ordinal()] = procSys.resolve(s.path()).toString().intern();
        }
        Arrays.fill(fds, -1);
    }

    /** Whether a read would open a file: it must then run inside the namespace. */
    public boolean needsOpen() {
        for (int fd : fds) {
            if (fd < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of {@code sysctl} now; opens its file first if it is not open (the calling thread's namespace).
     *
     * @throws java.nio.file.NoSuchFileException if the file is missing
     * @throws ProcfsFormatException             if it does not hold exactly one integer
     */
    public long read(Sysctl sysctl) throws IOException {
        int i = sysctl.ordinal();
        try {
            if (fds[i] < 0) {
                fds[i] = NativeFiles.openRead(procSys.resolve(sysctl.path()));
            }
            text.readWhole(fds[i], names[i]);
            return Sysctl.parse(names[i], text);
        } catch (IOException | RuntimeException e) {
            closeFile(i);
            throw e;
        }
    }

    /** Closes file {@code i} if open and forgets its fd, so that nothing closes that number twice. */
    private void closeFile(int i) {
        if (fds[i] >= 0) {
            Native.close(fds[i]);
            fds[i] = -1;
        }
    }

    /** Closes every open file; the next read opens it again (the calling thread's namespace then). */
    @Override
    public void close() {
        for (int i = 0; i < fds.length; i++) {
            closeFile(i);
        }
    }
}
