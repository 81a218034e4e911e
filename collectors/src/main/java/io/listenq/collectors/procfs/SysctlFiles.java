package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@link Sysctl} files of one network namespace, each opened once and re-read with {@code pread}. A
 * {@code /proc/sys/net/*} file resolves to the namespace of the thread that opens it, and the open file keeps
 * reading that namespace's value from any thread afterwards (docs/kernel.md §7): open each on the thread that
 * entered the namespace ({@link #needsOpen} says whether one is missing), read from anywhere. A file that fails is
 * closed and opened again at its next read. Not thread-safe.
 */
public final class SysctlFiles implements AutoCloseable {
    private static final Sysctl[] SYSCTLS = Sysctl.values();

    private final Path procSys;
    private final String[] names = new String[SYSCTLS.length];
    private final FileChannel[] files = new FileChannel[SYSCTLS.length];
    private final ProcBytes text = new ProcBytes(32);

    /** @param procSys normally {@code <procRoot>/sys} */
    public SysctlFiles(Path procSys) {
        this.procSys = procSys;
        for (Sysctl s : SYSCTLS) {
            names[s.ordinal()] = procSys.resolve(s.path()).toString();
        }
    }

    /** Whether a read would open a file: it must then run inside the namespace. */
    public boolean needsOpen() {
        for (FileChannel f : files) {
            if (f == null) {
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
            if (files[i] == null) {
                files[i] = FileChannel.open(procSys.resolve(sysctl.path()), StandardOpenOption.READ);
            }
            text.readWhole(files[i], names[i]);
            return Sysctl.parse(names[i], text);
        } catch (IOException | RuntimeException e) {
            closeQuietly(i);
            throw e;
        }
    }

    private void closeQuietly(int i) {
        if (files[i] != null) {
            try {
                files[i].close();
            } catch (IOException e) {
                // closing a procfs file loses nothing; the fd is released either way
            }
            files[i] = null;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < files.length; i++) {
            closeQuietly(i);
        }
    }
}
