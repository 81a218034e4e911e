package io.listenq.collectors.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The namespace calls into libc: {@code setns} and the nsfs ioctl, on {@link Native}'s machinery (errno captured
 * by the linker, failures as {@link NativeException}, unavailable when {@link Native} is). The socket and file
 * calls are {@link Native}'s and {@link NativeFiles}'.
 */
@SuppressWarnings("restricted") // by design: Native and its Native* siblings alone link native code
public final class NativeNamespaces {
    /** linux/sched.h: CLONE_NEWNET. */
    public static final int CLONE_NEWNET = 0x40000000;

    /** ioctl NS_GET_NSTYPE = _IO(0xb7, 0x3) (include/uapi/linux/nsfs.h). */
    private static final long NS_GET_NSTYPE = 0xb703;

    private static final MethodHandle SETNS;
    private static final MethodHandle IOCTL;

    static {
        MethodHandle setns = null;
        MethodHandle ioctl = null;
        if (Native.isAvailable()) { // else every call reports Native's cause
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            setns = Native.downcall(linker, libc, "setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
            // ioctl(int fd, unsigned long request, ...): called here without the variadic argument.
            ioctl = Native.downcall(
                    linker,
                    libc,
                    "ioctl",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
                    errno,
                    Linker.Option.firstVariadicArg(2));
        }
        SETNS = setns;
        IOCTL = ioctl;
    }

    private NativeNamespaces() {}

    /** Moves the calling thread into the namespace {@code fd} refers to (only this thread). */
    public static void setns(int fd, int nstype) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            Native.call("setns", arena.allocate(Native.CALL_STATE), false, state ->
                    (int) SETNS.invokeExact(state, fd, nstype));
        }
    }

    /**
     * The type of the namespace a namespace file descriptor refers to, as its CLONE_NEW* flag ({@link #CLONE_NEWNET}
     * for a network namespace): ioctl NS_GET_NSTYPE (fs/nsfs.c ns_ioctl, Linux 4.11).
     */
    public static int namespaceType(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Native.call("ioctl(NS_GET_NSTYPE)", arena.allocate(Native.CALL_STATE), false, state ->
                    (int) IOCTL.invokeExact(state, fd, NS_GET_NSTYPE));
        }
    }
}
