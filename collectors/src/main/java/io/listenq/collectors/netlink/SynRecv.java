package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One request socket (a connection in SYN-RECV) from a sock_diag SYN-RECV dump. Request sockets
 * carry no inode, so they can only be attributed to listeners by local address and port; see
 * {@link #belongsTo(TcpListener)}.
 *
 * @param family AF_INET or AF_INET6 (IPv4 clients of a dual-stack listener arrive as AF_INET6,
 *     local address {@code ::ffff:a.b.c.d})
 * @param address local (listener side) address the SYN was sent to
 * @param port local port
 */
public record SynRecv(int family, InetAddress address, int port) {
    public SynRecv {
        Objects.requireNonNull(address, "address");
        if (family != Native.AF_INET && family != Native.AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET (2) or AF_INET6 (10): " + family);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String addressText() {
        return IpText.text(address);
    }

    /**
     * True if this request was made to {@code listener}: same family and port, and the same local
     * address or a wildcard listener ({@code 0.0.0.0} / {@code ::}). When both a specific and a
     * wildcard listener share the port, the kernel prefers the specific one (inet_lhash2_lookup
     * scoring); callers should try exact matches first.
     */
    public boolean belongsTo(TcpListener listener) {
        return listener.family() == family
                && listener.port() == port
                && (listener.address().equals(address) || listener.address().isAnyLocalAddress());
    }
}
