package io.listenq.collectors.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * A signal's disposition, through libc's {@code sigaction} on {@link Native}'s machinery (errno captured by the
 * linker, failures as {@link NativeException}, unavailable when {@link Native} is). Only SIG_IGN and SIG_DFL are
 * ever set: a handler of our own would have to run Java in a signal context, which the JVM's own
 * {@code sun.misc.Signal} does safely and an FFM upcall does not. The exporter needs it because HotSpot will not
 * handle a SIGHUP that the process started with ignored (nohup), and says nothing about it.
 */
@SuppressWarnings("restricted") // by design: Native and its Native* siblings alone link native code
public final class NativeSignals {
    /** asm-generic/signal.h: SIGHUP 1. */
    public static final int SIGHUP = 1;

    /** bits/signum-generic.h: SIG_IGN is the handler value 1 (SIG_DFL is 0). */
    private static final long SIG_IGN = 1;

    /**
     * glibc's struct sigaction on x86-64 and arm64 (bits/sigaction.h; musl's is the same): the handler (a union
     * with sa_sigaction) first, a 1024-bit sigset_t, int sa_flags, then sa_restorer; 152 bytes. All zero is
     * SIG_DFL with an empty mask and no flags.
     */
    private static final StructLayout SIGACTION = MemoryLayout.structLayout(
            ADDRESS.withName("sa_handler"),
            MemoryLayout.sequenceLayout(16, JAVA_LONG).withName("sa_mask"),
            JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("sa_restorer"));

    private static final MethodHandle SIGACTION_CALL;

    static {
        MethodHandle sigaction = null;
        if (Native.isAvailable()) { // else every call reports Native's cause
            Linker linker = Linker.nativeLinker();
            sigaction = Native.downcall(
                    linker,
                    linker.defaultLookup(),
                    "sigaction",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
                    Linker.Option.captureCallState("errno"));
        }
        SIGACTION_CALL = sigaction;
    }

    private NativeSignals() {}

    /** Whether {@code signal}'s disposition is SIG_IGN: sigaction with no new action only reads it. */
    public static boolean isIgnored(int signal) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION);
            Native.call("sigaction", arena.allocate(Native.CALL_STATE), false, state ->
                    (int) SIGACTION_CALL.invokeExact(state, signal, MemorySegment.NULL, old));
            return old.get(ADDRESS, 0).address() == SIG_IGN;
        }
    }

    /**
     * Sets {@code signal}'s disposition to SIG_IGN ({@code ignore}) or SIG_DFL, with an empty mask and no flags.
     * Replaces whatever handler was there: the caller must know it is one of those two.
     */
    public static void setIgnored(int signal, boolean ignore) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(SIGACTION); // zeroed: SIG_DFL
            if (ignore) {
                act.set(ADDRESS, 0, MemorySegment.ofAddress(SIG_IGN));
            }
            Native.call("sigaction", arena.allocate(Native.CALL_STATE), false, state ->
                    (int) SIGACTION_CALL.invokeExact(state, signal, act, MemorySegment.NULL));
        }
    }
}
