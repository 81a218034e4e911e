package io.listenq.collectors.netns;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NativeNamespaces;
import io.listenq.collectors.linux.NetnsId;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The only place that calls {@code setns}: moves the one platform thread that owns it into another network
 * namespace and back. {@code setns(fd, CLONE_NEWNET)} moves only the calling thread (docs/kernel.md §6), so the
 * owner must be a dedicated platform thread: a virtual thread could change carrier in between and leave some
 * other task in a foreign namespace.
 *
 * <p>Opening a namespace file pins the namespace for as long as the fd is open; {@link Handle#close()} it when
 * the namespace leaves the enumeration so that a deleted namespace is really freed.
 */
public final class NetnsSwitch implements AutoCloseable {
    private final Thread owner;
    private final int homeFd;
    private final Path procfs;
    private boolean away;

    /** An open namespace file: {@code /run/netns/NAME} or {@code /proc/PID/ns/net}. */
    public static final class Handle implements AutoCloseable {
        private final int fd;
        private final NetnsId id;
        private boolean closed;

        private Handle(int fd, NetnsId id) {
            this.fd = fd;
            this.id = id;
        }

        public NetnsId id() {
            return id;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Native.close(fd);
            }
        }
    }

    /** Must be created on the thread that will switch; remembers that thread's current namespace as home. */
    public NetnsSwitch(Path procfs) throws NativeException {
        this.owner = Thread.currentThread();
        if (owner.isVirtual()) {
            throw new IllegalStateException("setns on a virtual thread would move its carrier thread");
        }
        this.procfs = procfs;
        this.homeFd = Native.open(procfs.resolve("thread-self/ns/net").toString(), Native.O_RDONLY | Native.O_CLOEXEC);
    }

    /**
     * Opens a namespace file and checks that it still is the namespace discovery saw (a pid may have been
     * reused since the scan).
     *
     * @throws NativeException ENOENT/ESRCH when it vanished, EACCES/EPERM without ptrace access
     * @throws NotNetnsException when the file is a namespace of another type (a uts bind mount in /run/netns)
     * @throws IOException     when the path now names a different namespace
     */
    public Handle open(Path nsFile, NetnsId expected) throws IOException {
        int fd = Native.open(nsFile.toString(), Native.O_RDONLY | Native.O_CLOEXEC);
        Handle h = new Handle(fd, expected);
        try {
            checkType(nsFile, fd);
            // the fd's own magic link: stat follows it to the nsfs inode of the file we hold open
            NetnsId now = NetnsId.of(procfs.resolve("thread-self/fd/" + fd));
            if (!now.equals(expected)) {
                throw new IOException(nsFile + " is now " + now + ", not " + expected + " (pid reused)");
            }
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * Refuses a namespace file of another type. Asked of the kernel (ioctl NS_GET_NSTYPE): the fd's magic link
     * only reads {@code net:[inode]} when the file was opened under /proc, a bind mount's reads its own path.
     */
    private static void checkType(Path nsFile, int fd) throws NativeException, NotNetnsException {
        int type = NativeNamespaces.namespaceType(fd);
        if (type != NativeNamespaces.CLONE_NEWNET) {
            throw new NotNetnsException(nsFile.toString(), typeName(type));
        }
    }

    /** CLONE_NEW* flags (include/uapi/linux/sched.h) by nsfs name. */
    private static String typeName(int cloneFlag) {
        return switch (cloneFlag) {
            case 0x00020000 -> "mnt";
            case 0x02000000 -> "cgroup";
            case 0x04000000 -> "uts";
            case 0x08000000 -> "ipc";
            case 0x10000000 -> "user";
            case 0x20000000 -> "pid";
            case 0x00000080 -> "time";
            default -> "type 0x" + Integer.toHexString(cloneFlag);
        };
    }

    /** Moves the owner thread into {@code target}. Always pair with {@link #returnHome()} in a finally block. */
    public void enter(Handle target) throws NativeException {
        checkOwner();
        if (target.closed) {
            throw new IllegalStateException("namespace handle " + target.id + " is closed");
        }
        NativeNamespaces.setns(target.fd, NativeNamespaces.CLONE_NEWNET);
        away = true; // only now: after a refused setns the thread is still home, and going "home" would fail too
    }

    /**
     * Moves the owner thread back to the namespace it started in. If that fails the thread must not be used
     * for anything else: the caller should treat the exception as fatal for the thread.
     */
    public void returnHome() throws NativeException {
        checkOwner();
        if (away) {
            NativeNamespaces.setns(homeFd, NativeNamespaces.CLONE_NEWNET);
            away = false;
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(
                    "NetnsSwitch used from " + Thread.currentThread().getName() + ", owned by " + owner.getName());
        }
    }

    @Override
    public void close() {
        Native.close(homeFd);
    }
}
