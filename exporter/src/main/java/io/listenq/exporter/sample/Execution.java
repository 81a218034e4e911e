package io.listenq.exporter.sample;

import java.io.IOException;
import java.util.Optional;

/**
 * Runs the collectors of one round the way node_exporter's {@code execute()} does: times each read, records its
 * success in {@link RoundStats}, and hands a failure's cause to the {@link ProblemLog} (one line per cause, one
 * when it recovers). Nothing a source throws goes further. Sampler thread only.
 */
final class Execution {
    /** One read of a kernel source. */
    @FunctionalInterface
    interface Read<T> {
        T read() throws IOException;
    }

    private final RoundStats stats;
    private final ProblemLog problems;

    Execution(RoundStats stats, ProblemLog problems) {
        this.stats = stats;
        this.problems = problems;
    }

    /**
     * Reads {@code source} now.
     *
     * @return the value read, kept by the source as its last one; empty when the read failed (its fds are then
     *         dropped and reopened next time)
     */
    <T> Optional<T> execute(KernelSource<T> source, String where, Read<T> read) {
        long start = System.nanoTime();
        String name = source.collector().label();
        try {
            T value = read.read();
            Optional<IOException> problem = source.incomplete(value);
            if (problem.isPresent()) { // not ifPresent: its capturing lambda would allocate on every read
                problems.report(name, problem.get(), where);
            }
            source.keep(value, problem.isEmpty());
            stats.record(name, System.nanoTime() - start, problem.isEmpty());
            return source.last(); // the source's own Optional: an unchanged value allocates none
        } catch (IOException | RuntimeException e) {
            source.fail();
            stats.record(name, System.nanoTime() - start, false);
            problems.report(name, e, where);
            return Optional.empty();
        }
    }

    /** {@code source} was not read this round (nothing it shows can have changed): its last outcome stands. */
    <T> Optional<T> reuse(KernelSource<T> source) {
        stats.reused(source.collector().label(), source.lastOk());
        return source.last();
    }

    /** An activity that is not a collector (setns, opening a namespace) ran: a cause it had may have recovered. */
    void ran(String activity) {
        stats.markRan(activity);
    }

    /** A failure outside the collectors (setns, opening a namespace): logged once per cause. */
    void report(String activity, Throwable cause, String where) {
        problems.report(activity, cause, where);
    }

    RoundStats stats() {
        return stats;
    }
}
