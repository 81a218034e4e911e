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
    private final CollectorName collector;
    private T last;
    /** Null before the first read: a source that never ran has no outcome to report. */
    private Boolean lastOk;

    KernelSource(CollectorName collector) {
        this.collector = collector;
    }

    final CollectorName collector() {
        return collector;
    }

    /** The value last read (possibly incomplete, see {@link #incomplete}), empty before the first good read. */
    final Optional<T> last() {
        return Optional.ofNullable(last);
    }

    /** Whether the last read succeeded; empty when the source never ran. */
    final Optional<Boolean> lastOk() {
        return Optional.ofNullable(lastOk);
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
        last = value;
        lastOk = ok;
    }

    final void fail() {
        lastOk = false;
        reset();
    }

    @Override
    public void close() {
        reset();
    }
}
