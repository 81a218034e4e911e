package io.listenq.exporter.sample;

import java.util.Comparator;
import java.util.Objects;

/**
 * One listener series: a namespace and a listening address. SO_REUSEPORT sockets on the same address share a key.
 *
 * @param netns   namespace inode, decimal
 * @param family  {@code ipv4}, {@code ipv6} or {@code unix}
 * @param address IP text or unix path ({@code @name} for abstract names)
 * @param port    decimal port, empty for unix sockets
 */
public record ListenerKey(String netns, String family, String address, String port) implements Comparable<ListenerKey> {
    private static final Comparator<ListenerKey> ORDER = Comparator.comparing(ListenerKey::netns)
            .thenComparing(ListenerKey::family)
            .thenComparing(ListenerKey::address)
            .thenComparing(ListenerKey::port);

    public ListenerKey {
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(port, "port");
    }

    /**
     * The value the generated record method gives (31 * h + each component's hash), written out: the generated one
     * runs through method handles, which C1 (the shipped -XX:TieredStopAtLevel=1) does not inline, and the sampler
     * looks keys up in maps several times per listener every round (the peak tracker, the listener cap).
     */
    @Override
    public int hashCode() {
        return ((netns.hashCode() * 31 + family.hashCode()) * 31 + address.hashCode()) * 31 + port.hashCode();
    }

    /** The generated record method's meaning (components are never null), written out for the same reason. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ListenerKey k
                && port.equals(k.port)
                && address.equals(k.address)
                && netns.equals(k.netns)
                && family.equals(k.family);
    }

    @Override
    public int compareTo(ListenerKey o) {
        return ORDER.compare(this, o);
    }
}
