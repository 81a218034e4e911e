package io.listenq.exporter.testing;

import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Builds a {@link ListenerSample} by name instead of eleven positional arguments. Defaults: backlog 128, one
 * socket, peak = length, full when length &gt; backlog, drops, SYN count and drop rate unknown, no owner.
 */
public final class ListenerSamples {
    private final ListenerKey key;
    private long acceptQueue;
    private long backlog = 128;
    private Boolean full;
    private OptionalLong drops = OptionalLong.empty();
    private OptionalLong synQueue = OptionalLong.empty();
    private int sockets = 1;
    private Long peak;
    private double fullSeconds;
    private OptionalLong cgroupId = OptionalLong.empty();
    private OptionalDouble dropRate = OptionalDouble.empty();

    private ListenerSamples(ListenerKey key) {
        this.key = key;
    }

    public static ListenerSamples listener(ListenerKey key) {
        return new ListenerSamples(key);
    }

    public static ListenerSamples listener(String netns, String family, String address, String port) {
        return new ListenerSamples(new ListenerKey(netns, family, address, port));
    }

    public ListenerSamples acceptQueue(long length) {
        this.acceptQueue = length;
        return this;
    }

    public ListenerSamples backlog(long backlog) {
        this.backlog = backlog;
        return this;
    }

    public ListenerSamples full(boolean full) {
        this.full = full;
        return this;
    }

    public ListenerSamples drops(long drops) {
        this.drops = OptionalLong.of(drops);
        return this;
    }

    public ListenerSamples synQueue(long requests) {
        this.synQueue = OptionalLong.of(requests);
        return this;
    }

    public ListenerSamples sockets(int sockets) {
        this.sockets = sockets;
        return this;
    }

    public ListenerSamples peak(long peak) {
        this.peak = peak;
        return this;
    }

    public ListenerSamples fullSeconds(double seconds) {
        this.fullSeconds = seconds;
        return this;
    }

    public ListenerSamples cgroupId(long id) {
        this.cgroupId = OptionalLong.of(id);
        return this;
    }

    public ListenerSamples dropRate(double perSecond) {
        this.dropRate = OptionalDouble.of(perSecond);
        return this;
    }

    public ListenerSample build() {
        return new ListenerSample(
                key,
                acceptQueue,
                backlog,
                full != null ? full : acceptQueue > backlog,
                drops,
                synQueue,
                sockets,
                peak != null ? peak : acceptQueue,
                fullSeconds,
                cgroupId,
                dropRate);
    }
}
