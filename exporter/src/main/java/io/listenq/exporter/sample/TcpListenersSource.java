package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.TcpListener;
import java.io.IOException;
import java.util.List;

/** The {@code tcp_listeners} collector: the sock_diag LISTEN dump of both families, IPv4 then IPv6. */
final class TcpListenersSource extends KernelSource<List<TcpListener>> {
    private final DiagSocket socket;

    TcpListenersSource(DiagSocket socket) {
        super(CollectorName.TCP_LISTENERS);
        this.socket = socket;
    }

    /**
     * The listeners now; the last list itself when the dump found the same ones in the same state (a full dump of
     * an idle namespace), so that later stages see an unchanged namespace as the same objects.
     */
    List<TcpListener> read(NetnsEntry entry) throws IOException {
        List<TcpListener> now = socket.get(entry).tcpListeners();
        List<TcpListener> before = last().orElse(null);
        return before != null && before.equals(now) ? before : List.copyOf(now);
    }

    @Override
    void reset() {
        socket.close();
    }
}
