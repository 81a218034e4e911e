package io.listenq.collectors.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Files read through raw descriptors: {@code open} as {@link java.nio.file} reports failures, and {@code pread(2)}
 * into a heap array, on {@link Native}'s machinery (errno captured by the linker for a call that failed, EINTR
 * retried, unavailable when {@link Native} is). The sampler keeps eight procfs files open per namespace and
 * re-reads most every round (docs/kernel.md §7): as FileChannels they cost ~220 bytes of heap each (six objects)
 * and, per read, a few hundred ns of the channel's interruptible-I/O bookkeeping; an {@code int} and one downcall
 * cost neither. Close with {@link Native#close}, exactly once: no Cleaner does it.
 */
@SuppressWarnings("restricted") // by design: Native and its Native* siblings alone link native code
public final class NativeFiles {
    /** asm-generic/errno-base.h: ENOENT 2, EACCES 13. */
    private static final int ENOENT = 2;

    private static final int EACCES = 13;

    /**
     * pread without and with errno captured. Capturing costs a 40-byte segment per call under C1, the JIT the
     * exporter ships with (the linker's checkCaptureSegment slices the state; only C2 scalar-replaces it), so a
     * read is made without, and one that fails is made again capturing errno: a positional read changes no file
     * state, and the second call's result and errno are the ones reported.
     */
    private static final MethodHandle PREAD;

    private static final MethodHandle PREAD_ERRNO;

    static {
        MethodHandle pread = null;
        MethodHandle preadErrno = null;
        if (Native.isAvailable()) { // else every call reports Native's cause
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            // ssize_t pread(int fd, void *buf, size_t count, off_t offset): off_t is 64-bit on x86-64 and arm64
            FunctionDescriptor fd = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
            pread = Native.downcall(linker, libc, "pread", fd);
            preadErrno = Native.downcall(linker, libc, "pread", fd, Linker.Option.captureCallState("errno"));
        }
        PREAD = pread;
        PREAD_ERRNO = preadErrno;
    }

    /**
     * Per thread: the native buffer a pread fills before its bytes are copied out, and the errno slot. Made once
     * and grown when a read asks for more, so that a read allocates nothing; freed with the thread (auto arena).
     */
    private static final class Staging {
        private final MemorySegment state = Native.allocateCallState(Arena.ofAuto());
        private MemorySegment buffer = MemorySegment.NULL;

        MemorySegment buffer(int count) {
            if (buffer.byteSize() < count) {
                buffer = Arena.ofAuto().allocate(Math.max(4096L, Long.highestOneBit(count - 1L) << 1));
            }
            return buffer;
        }
    }

    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    private NativeFiles() {}

    /**
     * Opens {@code file} read-only and close-on-exec. Fails as {@code FileChannel.open} does: {@link
     * NoSuchFileException} when it is missing (callers tell that apart, e.g. sockstat6 without IPv6), {@link
     * AccessDeniedException} when refused, else {@link FileSystemException}; each names the file and has the
     * {@link NativeException} as its cause.
     *
     * @return the descriptor, to be closed exactly once with {@link Native#close}
     */
    public static int openRead(Path file) throws IOException {
        try {
            return Native.open(file.toString(), Native.O_RDONLY | Native.O_CLOEXEC);
        } catch (NativeException e) {
            String reason = Native.strerror(e.errno());
            FileSystemException failure = switch (e.errno()) {
                case ENOENT -> new NoSuchFileException(file.toString(), null, reason);
                case EACCES -> new AccessDeniedException(file.toString(), null, reason);
                default -> new FileSystemException(file.toString(), null, e.getMessage());
            };
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * pread(2): up to {@code count} bytes of {@code fd} from file offset {@code position} into {@code
     * dst[offset..]}, through this thread's native buffer; retried on EINTR. Allocates nothing unless it fails, under
     * C1 too.
     *
     * @return the bytes read, 0 at end of file
     */
    public static int pread(int fd, byte[] dst, int offset, int count, long position) throws NativeException {
        Objects.checkFromIndexSize(offset, count, dst.length);
        Native.requireAvailable("pread");
        Staging staging = STAGING.get();
        MemorySegment buf = staging.buffer(count);
        try {
            long n = (long) PREAD.invokeExact(fd, buf, (long) count, position);
            if (n < 0) {
                do { // again, to learn why (see PREAD); written out: a capturing lambda would allocate
                    n = (long) PREAD_ERRNO.invokeExact(staging.state, fd, buf, (long) count, position);
                } while (Native.interrupted("pread", n, staging.state));
            }
            MemorySegment.copy(buf, JAVA_BYTE, 0, dst, offset, (int) n);
            return (int) n;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.linkageBug("pread", t);
        }
    }
}
