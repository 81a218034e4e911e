package io.listenq.collectors.testing;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seeded random fuzzing for parsers and decoders: mutations of real inputs (truncation, bit flips, byte
 * insertion/deletion/duplication, random bytes), each input run on a worker thread under a timeout with its
 * allocation measured, so a hang, an unexpected exception type or unbounded allocation fails the test with the
 * seed, the iteration and the input. Reproduce with {@code -Dfuzz.seed=N}.
 */
public final class Fuzz implements AutoCloseable {
    /** What one input may do: return, or throw one of the allowed (typed) exceptions. */
    @FunctionalInterface
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    private static final int WARM_UP = 200;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long seed = Long.getLong("fuzz.seed", 0x11571e9L);
    private final Random random = new Random(seed);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("fuzz-worker").daemon().unstarted(r));

    public Random random() {
        return random;
    }

    /** One mutation of {@code seed}: 1 to 4 edits of random kinds; sometimes pure random bytes. */
    public byte[] mutate(byte[] original) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(7)) {
                case 0 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length)); // truncate
                case 1 -> { // flip 1-8 bits
                    for (int i = 0, n = 1 + random.nextInt(8); i < n && b.length > 0; i++) {
                        int at = random.nextInt(b.length);
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> { // overwrite a byte with an interesting value
                    if (b.length > 0) {
                        byte[] interesting = {0, (byte) 0xff, (byte) 0x7f, (byte) 0x80, ' ', '\n', ':', '-', '9'};
                        b[random.nextInt(b.length)] = interesting[random.nextInt(interesting.length)];
                    }
                }
                case 3 -> { // insert random bytes
                    int at = random.nextInt(b.length + 1);
                    byte[] ins = new byte[1 + random.nextInt(8)];
                    random.nextBytes(ins);
                    b = splice(b, at, 0, ins);
                }
                case 4 -> { // delete a run
                    if (b.length > 0) {
                        int at = random.nextInt(b.length);
                        b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(16)), new byte[0]);
                    }
                }
                case 5 -> { // duplicate a chunk
                    if (b.length > 0) {
                        int at = random.nextInt(b.length);
                        int len = Math.min(b.length - at, 1 + random.nextInt(64));
                        b = splice(b, random.nextInt(b.length + 1), 0, java.util.Arrays.copyOfRange(b, at, at + len));
                    }
                }
                default -> { // random bytes of a similar size
                    b = new byte[random.nextInt(original.length + 16)];
                    random.nextBytes(b);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /**
     * Runs {@code target} on {@code input}; fails on a timeout (1 s), an exception not in {@code allowed}, or an
     * allocation above {@code 64 * length + 4 MiB} (after a warm-up). Returns whether the input was accepted (no exception).
     */
    @SafeVarargs
    public final boolean check(
            String what, int iteration, byte[] input, Target target, Class<? extends Exception>... allowed) {
        try {
            return checkOnce(what, iteration, input, target, allowed);
        } catch (AllocationError first) {
            // A branch first reached late initialises classes once (~6 MB seen): the same input again must
            // stay within the bound, or the allocation really depends on the input.
            return checkOnce(what, iteration, input, target, allowed);
        }
    }

    private static final class AllocationError extends AssertionError {
        AllocationError(String message) {
            super(message);
        }
    }

    @SafeVarargs
    private boolean checkOnce(
            String what, int iteration, byte[] input, Target target, Class<? extends Exception>... allowed) {
        Future<Object> f = worker.submit(() -> {
            // The first iterations load classes and JIT code: their allocation says nothing about the input.
            long before = iteration < WARM_UP ? Long.MIN_VALUE : THREADS.getCurrentThreadAllocatedBytes();
            try {
                target.run(input);
                return allocation(before, input) == null ? Boolean.TRUE : allocation(before, input);
            } catch (Exception e) {
                for (Class<? extends Exception> ok : allowed) {
                    if (ok.isInstance(e)) {
                        String alloc = allocation(before, input);
                        return alloc == null ? Boolean.FALSE : alloc;
                    }
                }
                return e;
            }
        });
        Object outcome;
        try {
            outcome = f.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(describe(what, iteration, input) + ": no result within 1 s (a loop?)");
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(describe(what, iteration, input) + ": " + e, e);
        }
        if (outcome instanceof Throwable t) {
            throw new AssertionError(describe(what, iteration, input) + ": threw " + t, t);
        }
        if (outcome instanceof String s) {
            throw new AllocationError(describe(what, iteration, input) + ": " + s);
        }
        return (Boolean) outcome;
    }

    private static String allocation(long before, byte[] input) {
        if (before == Long.MIN_VALUE) {
            return null;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // Far below what trusting a corrupted length field would cost (up to 4 GiB), far above a stack trace
        // or a lazily initialised class on a branch first reached late.
        long bound = 64L * input.length + (4 << 20);
        return allocated > bound ? "allocated " + allocated + " bytes for " + input.length + " input bytes" : null;
    }

    private String describe(String what, int iteration, byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
        return what + " (seed " + seed + ", iteration " + iteration + ", " + input.length + " bytes: " + hex
                + (input.length > 256 ? "..." : "") + ")";
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
