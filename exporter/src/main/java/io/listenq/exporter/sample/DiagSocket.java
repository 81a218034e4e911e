package io.listenq.exporter.sample;

import java.io.IOException;

/**
 * One namespace's sock_diag socket, shared by its three dump sources (TCP listeners, SYN-RECV, unix listeners):
 * a netlink socket answers for the namespace it was created in (sock_net(skb->sk) in inet_diag_dump), so it is
 * opened inside the namespace on first use, then cached and used from wherever the sampler thread is; it pins the
 * namespace, so it is closed with the namespace, and after any failed dump (the next one reopens it, inside).
 */
final class DiagSocket implements AutoCloseable {
    private final ListenerDumps.Opener opener;
    private ListenerDumps dumps;

    DiagSocket(ListenerDumps.Opener opener) {
        this.opener = opener;
    }

    /** Whether {@link #get} would open the socket, which must happen inside the namespace. */
    boolean needsOpen() {
        return dumps == null;
    }

    /** The socket, opened first (after {@code entry} got the thread into the namespace) if it is not open. */
    ListenerDumps get(NetnsEntry entry) throws IOException {
        if (dumps == null) {
            entry.enter();
            dumps = opener.open();
        }
        return dumps;
    }

    @Override
    public void close() {
        if (dumps != null) {
            dumps.close();
            dumps = null;
        }
    }
}
