package io.listenq.collectors.netlink;

import java.io.IOException;

/**
 * A netlink protocol problem: the kernel answered with {@code NLMSG_ERROR}, a dump ended with a
 * negative errno in {@code NLMSG_DONE}, or a reply was truncated, malformed or out of sequence.
 * The message names the dump, the offset and the lengths involved.
 */
public final class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NetlinkException(String message) {
        this(message, 0, null);
    }

    public NetlinkException(String message, int errno) {
        this(message, errno, null);
    }

    public NetlinkException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The (positive) errno the kernel reported, or 0 for malformed or unexpected replies. */
    public int errno() {
        return errno;
    }
}
