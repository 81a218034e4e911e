package io.listenq.collectors.netns;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why {@link NetnsDiscovery} skipped an entry, decided by errno ({@link #of}); {@link #label()} is the
 * {@code reason} label value.
 */
public enum ScanError {
    /** The process exited (or the bind mount was removed) between listing and stat: normal churn. */
    VANISHED("vanished"),
    /** EACCES: ptrace read access to {@code /proc/<pid>/ns/net} denied (no CAP_SYS_PTRACE, LSM, Yama). */
    ACCESS_DENIED("eacces"),
    /** EPERM. */
    NOT_PERMITTED("eperm"),
    /** A file in a bind-mount directory that is not an nsfs file (a stale {@code ip netns} entry). */
    NOT_A_NAMESPACE("not_a_namespace"),
    /** Any other I/O error. */
    IO("io");

    private final String label;

    ScanError(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Why {@code path} could not be read, by errno. The JDK names only ENOENT and EACCES by type; for any other
     * error it keeps the errno to itself, so the path is opened once more through open(2), which makes the same
     * checks as stat (proc_ns_get_link: ptrace_may_access), to learn it.
     */
    static ScanError of(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return VANISHED;
        }
        if (e instanceof AccessDeniedException) {
            return ACCESS_DENIED;
        }
        try {
            Native.close(Native.open(path.toString(), Native.O_RDONLY | Native.O_CLOEXEC));
            return IO; // it opens now: whatever failed was not a permission
        } catch (NativeException n) {
            return ofErrno(n.errno());
        }
    }

    /** errno values from include/uapi/asm-generic/errno-base.h. */
    static ScanError ofErrno(int errno) {
        return switch (errno) {
            case 1 -> NOT_PERMITTED; // EPERM
            case 13 -> ACCESS_DENIED; // EACCES
            case 2, 3 -> VANISHED; // ENOENT, ESRCH: the process exited meanwhile
            default -> IO;
        };
    }
}
