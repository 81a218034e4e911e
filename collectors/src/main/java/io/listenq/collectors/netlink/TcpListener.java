package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One TCP listening socket from a sock_diag LISTEN dump (linux/inet_diag.h {@code struct inet_diag_msg}
 * plus attributes).
 *
 * @param family AF_INET (2) or AF_INET6 (10); a dual-stack {@code [::]} listener is AF_INET6
 * @param address local address: {@link Inet4Address} for AF_INET, {@link Inet6Address} for AF_INET6
 *     (IPv4-mapped addresses stay Inet6Address)
 * @param port local port
 * @param acceptQueue idiag_rqueue: for a listener, sk_ack_backlog, the current accept queue length
 *     (it can reach backlog + 1: the kernel's full test is {@code >})
 * @param backlog idiag_wqueue: for a listener, sk_max_ack_backlog = min(listen() backlog, somaxconn)
 * @param inode idiag_inode, unsigned 32-bit
 * @param cookie idiag_cookie[0] | idiag_cookie[1] << 32: the kernel's stable socket id (sock_gen_cookie)
 * @param drops sk_meminfo[SK_MEMINFO_DROPS] (linux/sock_diag.h), unsigned 32-bit: for a listener, the
 *     SYNs and handshake ACKs dropped on it (tcp_listendrop); empty when the kernel's SKMEMINFO array is too
 *     short to hold it (kernels before SK_MEMINFO_DROPS): unknown, not zero
 * @param cgroupId INET_DIAG_CGROUP_ID (linux/inet_diag.h): the socket's cgroup v2 id; empty when the reply has no
 *     such attribute (docs/kernel.md §2: a kernel before 5.7 or without CONFIG_SOCK_CGROUP_DATA), never a made-up 0
 */
public record TcpListener(
        int family,
        InetAddress address,
        int port,
        int acceptQueue,
        int backlog,
        long inode,
        long cookie,
        OptionalLong drops,
        OptionalLong cgroupId) {

    public TcpListener {
        Objects.requireNonNull(address, "address");
        // every check builds its message only when it fails: this runs for every listener of every dump
        switch (family) {
            case Native.AF_INET -> {
                if (!(address instanceof Inet4Address)) {
                    throw invalid("AF_INET needs an Inet4Address: " + address);
                }
            }
            case Native.AF_INET6 -> {
                if (!(address instanceof Inet6Address)) {
                    throw invalid("AF_INET6 needs an Inet6Address: " + address);
                }
            }
            default -> throw invalid("family must be AF_INET (2) or AF_INET6 (10): " + family);
        }
        if (port < 0 || port > 0xffff) {
            throw invalid("port out of range: " + port);
        }
        if (acceptQueue < 0) {
            throw invalid("acceptQueue < 0: " + acceptQueue);
        }
        if (backlog < 0) {
            throw invalid("backlog < 0: " + backlog);
        }
        if (inode < 0 || inode > 0xffff_ffffL) {
            throw invalid("inode is unsigned 32-bit: " + inode);
        }
        Objects.requireNonNull(drops, "drops");
        if (drops.orElse(0) < 0 || drops.orElse(0) > 0xffff_ffffL) {
            throw invalid("drops is unsigned 32-bit: " + drops);
        }
        Objects.requireNonNull(cgroupId, "cgroupId");
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException(message);
    }

    /** The address as ss prints it (glibc inet_ntop): {@code 127.0.0.1}, {@code ::}, {@code ::ffff:127.0.0.1}. */
    public String addressText() {
        return IpText.text(address);
    }

    /** "ipv4" or "ipv6", the exporter's family label. */
    public String familyName() {
        return family == Native.AF_INET ? "ipv4" : "ipv6";
    }

    /** True if the accept queue is over the backlog: the kernel drops new handshakes (sk_acceptq_is_full). */
    public boolean acceptQueueFull() {
        return acceptQueue > backlog;
    }
}
