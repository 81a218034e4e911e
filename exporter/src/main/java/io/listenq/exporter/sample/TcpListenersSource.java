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

    List<TcpListener> read(NetnsEntry entry) throws IOException {
        return List.copyOf(socket.get(entry).tcpListeners());
    }

    @Override
    void reset() {
        socket.close();
    }
}
