package io.listenq.exporter.sample;

import java.io.IOException;
import java.util.Optional;

/**
 * One kernel source of one namespace (net/netstat, the sysctls, a sock_diag dump): owns the fds it reads through,
 * opened inside the namespace on first use, and the value it read last. {@link Execution#execute} is the only
 * caller of {@link #keep} and {@link #fail}: it times the read, records success and logs a cause once, so no
 * source writes that sequence out itself.
 *
 * @param <T> what one read yields
 */
abstract class KernelSource<T> implements AutoCloseable {
    private static final Optional<Boolean> OK = Optional.of(true);
    private static final Optional<Boolean> FAILED = Optional.of(false);

    private final CollectorName collector;
    /** Held as Optionals, made only when the value changes: a round that reads the same value allocates nothing. */
    private Optional<T> last = Optional.empty();
    /** Empty before the first read: a source that never ran has no outcome to report. */
    private Optional<Boolean> lastOk = Optional.empty();

    KernelSource(CollectorName collector) {
        this.collector = collector;
    }

    final CollectorName collector() {
        return collector;
    }

    /** The value last read (possibly incomplete, see {@link #incomplete}), empty before the first good read. */
    final Optional<T> last() {
        return last;
    }

    /** Whether the last read succeeded; empty when the source never ran. */
    final Optional<Boolean> lastOk() {
        return lastOk;
    }

    /**
     * Why a value that was read is still a failure (a column or file the kernel lacks), or empty. The value is
     * kept and served (what is there is exact), the collector reports failure.
     */
    Optional<IOException> incomplete(T value) {
        return Optional.empty();
    }

    /** Drops the fds after a failed read, so that the next read reopens them. */
    void reset() {}

    final void keep(T value, boolean ok) {
        if (last.isEmpty() || last.get() != value) {
            last = Optional.of(value);
        }
        lastOk = ok ? OK : FAILED;
    }

    final void fail() {
        lastOk = FAILED;
        reset();
    }

    @Override
    public void close() {
        reset();
    }
}
