package io.listenq.collectors.netlink;

import java.util.Objects;

/**
 * One listening AF_UNIX socket from a sock_diag dump (linux/unix_diag.h).
 *
 * @param path the bound path; {@code "@name"} for an abstract name (as ss prints it, with embedded
 *     NUL bytes also shown as {@code @}); {@code ""} for an unnamed socket
 * @param pending UNIX_DIAG_RQLEN udiag_rqueue: for a listener, connections waiting for accept()
 *     (can reach backlog + 1)
 * @param backlog UNIX_DIAG_RQLEN udiag_wqueue: for a listener, sk_max_ack_backlog
 * @param inode udiag_ino, unsigned 32-bit
 */
public record UnixListener(String path, int pending, int backlog, long inode) {
    public UnixListener {
        Objects.requireNonNull(path, "path");
        if (pending < 0 || backlog < 0) {
            throw new IllegalArgumentException("negative queue: pending " + pending + ", backlog " + backlog);
        }
        if (inode < 0 || inode > 0xffff_ffffL) {
            throw new IllegalArgumentException("inode is unsigned 32-bit: " + inode);
        }
    }

    public boolean isAbstract() {
        return path.startsWith("@");
    }
}
