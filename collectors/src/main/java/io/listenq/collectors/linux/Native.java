package io.listenq.collectors.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * With {@link NativeNamespaces}, {@link NativeFiles} and {@link NativeSignals}, the only code in the project that calls
 * into libc (Java 25 FFM; no JNI). Every downcall captures {@code errno} with {@code Linker.Option.captureCallState("errno")}; failures
 * become {@link NativeException}. The libc symbols are looked up once; if that fails,
 * {@link #isAvailable()} is false and {@link #unavailabilityCause()} says why, and every call
 * throws a {@link NativeException} with errno 0 carrying that cause.
 *
 * <p>Constants are Linux x86-64/arm64 values (the generic ABI), cited per header. The namespace calls (setns, the
 * nsfs ioctl) are {@link NativeNamespaces}', the procfs reads (pread) {@link NativeFiles}', sigaction
 * {@link NativeSignals}', on the same machinery.
 */
@SuppressWarnings("restricted") // by design: Native and its Native* siblings alone link native code
public final class Native {
    /** AF_UNIX, AF_INET, AF_INET6, AF_NETLINK: bits/socket.h (PF_LOCAL 1, PF_INET 2, PF_INET6 10, PF_NETLINK 16). */
    public static final int AF_UNIX = 1;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    /** bits/socket_type.h: SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_CLOEXEC 02000000. */
    public static final int SOCK_STREAM = 1;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    /** linux/netlink.h: NETLINK_SOCK_DIAG 4. */
    public static final int NETLINK_SOCK_DIAG = 4;
    /** asm-generic/fcntl.h: O_RDONLY 0, O_CLOEXEC 02000000. */
    public static final int O_RDONLY = 0;

    public static final int O_CLOEXEC = 0x80000;
    /** asm-generic/socket.h: SOL_SOCKET 1, SO_RCVBUF 8. */
    public static final int SOL_SOCKET = 1;

    public static final int SO_RCVBUF = 8;
    /** bits/socket.h: MSG_TRUNC makes recv return the real datagram length (netlink_recvmsg honours it). */
    public static final int MSG_TRUNC = 0x20;
    /** asm-generic/errno-base.h: EINTR 4. */
    static final int EINTR = 4;

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    private static final Throwable UNAVAILABILITY_CAUSE;
    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle SEND;
    private static final MethodHandle RECV;
    private static final MethodHandle CLOSE;
    private static final MethodHandle OPEN;
    private static final MethodHandle STRERROR;

    static {
        MethodHandle socket = null,
                setsockopt = null,
                send = null,
                recv = null,
                close = null,
                open = null,
                strerror = null;
        Throwable cause = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            socket = downcall(
                    linker, libc, "socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
            setsockopt = downcall(
                    linker,
                    libc,
                    "setsockopt",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                    errno);
            send = downcall(
                    linker,
                    libc,
                    "send",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
                    errno);
            recv = downcall(
                    linker,
                    libc,
                    "recv",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
                    errno);
            close = downcall(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            // open(const char *path, int flags, ...): the mode argument is variadic.
            open = downcall(
                    linker,
                    libc,
                    "open",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    errno,
                    Linker.Option.firstVariadicArg(2));
            strerror = linker.downcallHandle(libc.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        } catch (Throwable t) { // any linkage failure (missing symbol, native access denied) disables the class
            cause = t;
        }
        UNAVAILABILITY_CAUSE = cause;
        SOCKET = socket;
        SETSOCKOPT = setsockopt;
        SEND = send;
        RECV = recv;
        CLOSE = close;
        OPEN = open;
        STRERROR = strerror;
    }

    private Native() {}

    static MethodHandle downcall(
            Linker linker, SymbolLookup libc, String name, FunctionDescriptor fd, Linker.Option... options) {
        return linker.downcallHandle(libc.findOrThrow(name), fd, options);
    }

    /** True if every libc symbol was found and downcalls could be linked. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** Why native calls are unavailable, or null if they are available. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    public static int socket(int domain, int type, int protocol) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call("socket", arena.allocate(CALL_STATE), false, state ->
                    (int) SOCKET.invokeExact(state, domain, type, protocol));
        }
    }

    /** Opens {@code path}, retrying on EINTR. Use {@code O_RDONLY | O_CLOEXEC} for namespace files. */
    public static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) call(
                    "open", arena.allocate(CALL_STATE), true, state -> (int) OPEN.invokeExact(state, cPath, flags, 0));
        }
    }

    /**
     * Closes {@code fd}. Not retried on EINTR: Linux releases the descriptor before returning
     * EINTR (docs/kernel.md §8), so a retry could close a descriptor another thread just got.
     */
    public static void close(int fd) {
        if (!isAvailable() || fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int ignoredResult = (int) CLOSE.invokeExact(arena.allocate(CALL_STATE), fd);
        } catch (Throwable t) {
            throw linkageBug("close", t);
        }
    }

    /** Sets an int-valued socket option. */
    public static void setsockoptInt(int fd, int level, int name, int value) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            call("setsockopt", arena.allocate(CALL_STATE), false, state ->
                    (int) SETSOCKOPT.invokeExact(state, fd, level, name, v, (int) JAVA_INT.byteSize()));
        }
    }

    /** A segment for captured errno, to be reused across {@link #send} and {@link #recv} calls. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** send(2) retrying on EINTR; returns the bytes sent. {@code state} from {@link #allocateCallState}. */
    public static long send(int fd, MemorySegment buf, long length, MemorySegment state) throws NativeException {
        requireAvailable("send");
        try {
            long result;
            do { // written out, not through call(): a capturing lambda would allocate on every send
                result = (long) SEND.invokeExact(state, fd, buf, length, 0);
            } while (interrupted("send", result, state));
            return result;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageBug("send", t);
        }
    }

    /** recv(2) retrying on EINTR; returns what recv returned (with MSG_TRUNC: the full datagram length). */
    public static long recv(int fd, MemorySegment buf, long length, int flags, MemorySegment state)
            throws NativeException {
        requireAvailable("recv");
        try {
            long result;
            do { // as send: no lambda, so that a dump allocates nothing here
                result = (long) RECV.invokeExact(state, fd, buf, length, flags);
            } while (interrupted("recv", result, state));
            return result;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageBug("recv", t);
        }
    }

    /**
     * Whether a call that returned {@code result} is to be made again: it failed with EINTR (a signal interrupted
     * it before it did anything). Any other failure is thrown as a {@link NativeException} with its errno.
     */
    static boolean interrupted(String name, long result, MemorySegment state) throws NativeException {
        if (result >= 0) {
            return false;
        }
        if (errno(state) != EINTR) {
            throw failure(name, state);
        }
        return true;
    }

    /** One downcall that captures errno in {@code state} and returns a negative value on failure. */
    @FunctionalInterface
    interface Downcall {
        long invoke(MemorySegment state) throws Throwable;
    }

    /**
     * Makes {@code downcall}, again while it fails with EINTR if {@code retryOnEintr} (a signal interrupted a
     * blocking call before it did anything), and turns a failure into a {@link NativeException} with its errno.
     */
    static long call(String name, MemorySegment state, boolean retryOnEintr, Downcall downcall) throws NativeException {
        requireAvailable(name);
        try {
            while (true) {
                long result = downcall.invoke(state);
                if (result < 0 && !retryOnEintr) {
                    throw failure(name, state);
                }
                if (!interrupted(name, result, state)) {
                    return result;
                }
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageBug(name, t);
        }
    }

    /** The text of an errno as libc gives it (strerror), e.g. "Operation not permitted". */
    public static String strerror(int errno) {
        if (!isAvailable()) {
            return "errno " + errno;
        }
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            // strerror returns a NUL-terminated string in static or thread-local storage; messages are short.
            return s.equals(MemorySegment.NULL)
                    ? "errno " + errno
                    : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw linkageBug("strerror", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static NativeException failure(String call, MemorySegment state) {
        int errno = errno(state);
        return new NativeException(call, errno, strerror(errno));
    }

    static void requireAvailable(String call) throws NativeException {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new NativeException(call, "native access unavailable: " + UNAVAILABILITY_CAUSE, UNAVAILABILITY_CAUSE);
        }
    }

    /** invokeExact only throws if a call site disagrees with its descriptor: a bug here, not a runtime condition. */
    static IllegalStateException linkageBug(String call, Throwable t) {
        return new IllegalStateException(call + ": downcall failed", t);
    }
}
