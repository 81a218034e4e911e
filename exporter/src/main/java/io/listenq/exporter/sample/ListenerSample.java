package io.listenq.exporter.sample;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one round saw of one listener series (summed over its SO_REUSEPORT group), plus what the
 * {@link PeakTracker} remembers of earlier rounds.
 *
 * @param acceptQueue sk_ack_backlog (inet_diag idiag_rqueue; unix_diag RQLEN rqueue), summed over the group
 * @param backlog     sk_max_ack_backlog (idiag_wqueue; RQLEN wqueue), summed over the group
 * @param full        some socket of the group had acceptQueue &gt; backlog (sk_acceptq_is_full)
 * @param drops       sk_drops (SK_MEMINFO_DROPS) summed; empty where the kernel has no such count (unix, or a
 *                    kernel without SK_MEMINFO_DROPS)
 * @param synQueue    SYN-RECV request sockets of this address and port; empty where unknown (unix, or no SYN-RECV
 *                    dump yet)
 * @param sockets     listening sockets in the group
 * @param peak        largest acceptQueue sampled within the peak window
 * @param fullSeconds sampled time the listener spent full since the exporter first saw it
 * @param cgroupId    INET_DIAG_CGROUP_ID of the group's first socket (the creator's cgroup v2 id); empty when the
 *                    kernel gave none (unix sockets: unix_diag has no such attribute; docs/kernel.md §2)
 * @param dropRate    drops per second over the last minute (as far back as the exporter has seen it); empty where
 *                    the drop count is unknown (unix)
 */
public record ListenerSample(
        ListenerKey key,
        long acceptQueue,
        long backlog,
        boolean full,
        OptionalLong drops,
        OptionalLong synQueue,
        int sockets,
        long peak,
        double fullSeconds,
        OptionalLong cgroupId,
        OptionalDouble dropRate) {
    public ListenerSample {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(drops, "drops");
        Objects.requireNonNull(synQueue, "synQueue");
        Objects.requireNonNull(cgroupId, "cgroupId");
        Objects.requireNonNull(dropRate, "dropRate");
        if (acceptQueue < 0 || backlog < 0 || sockets < 1 || peak < acceptQueue || fullSeconds < 0) {
            throw new IllegalArgumentException("inconsistent listener sample " + key);
        }
    }

    /**
     * One shared instance for the zero count (most drop counts and SYN queues): a sample is kept per listener, and
     * its optional values are then no objects of their own.
     */
    private static final OptionalLong ZERO = OptionalLong.of(0);

    /** One shared instance for the zero rate (nearly every listener's drop rate), as {@link #ZERO}. */
    private static final OptionalDouble ZERO_RATE = OptionalDouble.of(0);

    /** {@code OptionalLong.of(value)}, an equal shared instance for 0. */
    static OptionalLong count(long value) {
        return value == 0 ? ZERO : OptionalLong.of(value);
    }

    /** {@code OptionalDouble.of(value)}, an equal shared instance for +0.0 (not for -0.0, which it does not equal). */
    static OptionalDouble rate(double value) {
        return Double.doubleToRawLongBits(value) == 0 ? ZERO_RATE : OptionalDouble.of(value);
    }

    public ListenerSample withHistory(long peak, double fullSeconds, OptionalDouble dropRate) {
        return new ListenerSample(
                key, acceptQueue, backlog, full, drops, synQueue, sockets, peak, fullSeconds, cgroupId, dropRate);
    }

    /** Accept queue length over the backlog (0-1, above 1 when full: the queue holds backlog + 1); 0 without backlog. */
    public double fillRatio() {
        return backlog == 0 ? (acceptQueue > 0 ? 1 : 0) : (double) acceptQueue / backlog;
    }
}
