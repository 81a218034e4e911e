package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.UnixListener;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code unix_listeners} collector: the unix_diag dump of listening sockets, every round. Nothing counts unix
 * connections (no counter to skip on), and unix_diag walks only the namespace's own sockets (net/unix/diag.c
 * unix_diag_dump checks sock_net), so it is cheap.
 */
final class UnixListenersSource extends KernelSource<List<UnixListener>> {
    private final DiagSocket socket;

    UnixListenersSource(DiagSocket socket) {
        super(CollectorName.UNIX_LISTENERS);
        this.socket = socket;
    }

    /**
     * The listeners; the last list itself when unchanged (later stages compare by ==). An unchanged reply gives the
     * dump's last list back as it is ({@code SockDiag.unixListeners}): then nothing is compared or allocated.
     */
    List<UnixListener> read(NetnsEntry entry) throws IOException {
        List<UnixListener> now = socket.get(entry).unixListeners();
        Optional<List<UnixListener>> last = last();
        return last.isPresent() && (last.get() == now || last.get().equals(now)) ? last.get() : List.copyOf(now);
    }

    @Override
    void reset() {
        socket.close();
    }
}
