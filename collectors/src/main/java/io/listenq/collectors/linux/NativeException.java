package io.listenq.collectors.linux;

import java.io.IOException;

/**
 * A failed libc call: carries the call name and its {@code errno}, with a message like
 * {@code "setns: Operation not permitted (errno 1)"}.
 *
 * <p>{@code errno()} is 0 when the call could not be made at all (native access unavailable);
 * the cause then says why.
 */
public final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeException(String call, int errno, String description) {
        super(call + ": " + description + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    NativeException(String call, String message, Throwable cause) {
        super(call + ": " + message, cause);
        this.call = call;
        this.errno = 0;
    }

    /** The libc function that failed, e.g. {@code "setns"}. */
    public String call() {
        return call;
    }

    /** The {@code errno} the call set, or 0 if native access was unavailable. */
    public int errno() {
        return errno;
    }
}
