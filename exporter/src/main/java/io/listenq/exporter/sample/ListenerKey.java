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

    @Override
    public int compareTo(ListenerKey o) {
        return ORDER.compare(this, o);
    }
}
