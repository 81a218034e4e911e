package io.listenq.collectors.testing;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.TcpListener;
import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * Builds a {@link TcpListener} by name instead of nine positional arguments. Defaults: {@code 0.0.0.0:80}
 * (AF_INET, or AF_INET6 for an IPv6 address), empty queue, backlog 128, inode and cookie 1, no drops yet, no
 * cgroup id (as a kernel without INET_DIAG_CGROUP_ID replies).
 */
public final class TcpListeners {
    private Integer family;
    private InetAddress address = InetAddress.ofLiteral("0.0.0.0");
    private int port = 80;
    private int acceptQueue;
    private int backlog = 128;
    private long inode = 1;
    private long cookie = 1;
    private OptionalLong drops = OptionalLong.of(0);
    private OptionalLong cgroupId = OptionalLong.empty();

    private TcpListeners() {}

    /** A listener on {@code 0.0.0.0:80}. */
    public static TcpListeners listener() {
        return new TcpListeners();
    }

    /** A listener on {@code address} (an IP literal) and {@code port}. */
    public static TcpListeners listener(String address, int port) {
        TcpListeners b = new TcpListeners();
        b.address = InetAddress.ofLiteral(address);
        b.port = port;
        return b;
    }

    /** Another family than the address's, to see the record refuse it. */
    public TcpListeners family(int family) {
        this.family = family;
        return this;
    }

    public TcpListeners acceptQueue(int length) {
        this.acceptQueue = length;
        return this;
    }

    public TcpListeners backlog(int backlog) {
        this.backlog = backlog;
        return this;
    }

    public TcpListeners inode(long inode) {
        this.inode = inode;
        return this;
    }

    public TcpListeners cookie(long cookie) {
        this.cookie = cookie;
        return this;
    }

    public TcpListeners drops(long drops) {
        this.drops = OptionalLong.of(drops);
        return this;
    }

    /** Drops unknown: a kernel whose SKMEMINFO array has no SK_MEMINFO_DROPS. */
    public TcpListeners dropsUnknown() {
        this.drops = OptionalLong.empty();
        return this;
    }

    public TcpListeners cgroupId(long id) {
        this.cgroupId = OptionalLong.of(id);
        return this;
    }

    public TcpListener build() {
        int f = family != null ? family : address.getAddress().length == 4 ? Native.AF_INET : Native.AF_INET6;
        return new TcpListener(f, address, port, acceptQueue, backlog, inode, cookie, drops, cgroupId);
    }
}
