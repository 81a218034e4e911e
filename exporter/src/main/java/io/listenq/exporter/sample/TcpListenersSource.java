package io.listenq.exporter.sample;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.TcpListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The {@code tcp_listeners} collector: the sock_diag LISTEN dumps, IPv4 then IPv6. */
final class TcpListenersSource extends KernelSource<List<TcpListener>> {
    private final DiagSocket socket;

    TcpListenersSource(DiagSocket socket) {
        super(CollectorName.TCP_LISTENERS);
        this.socket = socket;
    }

    List<TcpListener> read(NetnsEntry entry) throws IOException {
        ListenerDumps d = socket.get(entry);
        List<TcpListener> tcp = new ArrayList<>(d.tcpListeners(Native.AF_INET));
        tcp.addAll(d.tcpListeners(Native.AF_INET6));
        return List.copyOf(tcp);
    }

    @Override
    void reset() {
        socket.close();
    }
}
