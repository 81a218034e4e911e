package io.listenq.exporter.sample;

import java.io.IOException;

/**
 * One namespace's sock_diag socket, shared by its three dump sources (TCP listeners, SYN-RECV, unix listeners):
 * a netlink socket answers for the namespace it was created in (sock_net(skb->sk) in inet_diag_dump), so it is
 * opened inside the namespace on first use, then cached; it pins the namespace, so it is closed with the
 * namespace, and after any failed dump (the next one reopens it).
 */
final class DiagSocket implements AutoCloseable {
    private final ListenerDumps.Opener opener;
    private ListenerDumps dumps;

    DiagSocket(ListenerDumps.Opener opener) {
        this.opener = opener;
    }

    ListenerDumps get() throws IOException {
        if (dumps == null) {
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
