package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import java.io.IOException;
import java.util.List;

/**
 * The sock_diag dumps of a namespace as a test wants them: answers from its fields, counts the dumps it was
 * asked for, and fails the TCP dumps while {@link #tcpFailure} is set. One instance serves every open.
 */
final class StubDumps implements ListenerDumps {
    /** The LISTEN dump (tests put IPv4 listeners here). */
    List<TcpListener> ipv4 = List.of();

    List<SynRecv> synRecv = List.of();
    List<UnixListener> unix = List.of();
    /** Thrown by the TCP LISTEN dumps while set. */
    IOException tcpFailure;
    /** LISTEN dumps made. */
    int tcpDumps;
    /** SYN-RECV dumps made. */
    int synRecvDumps;
    /** Unix listener dumps made. */
    int unixDumps;

    ListenerDumps.Opener opener() {
        return () -> this;
    }

    @Override
    public List<TcpListener> tcpListeners() throws IOException {
        if (tcpFailure != null) {
            throw tcpFailure;
        }
        tcpDumps++;
        return ipv4;
    }

    @Override
    public List<SynRecv> synRecv() {
        synRecvDumps++;
        return synRecv;
    }

    @Override
    public List<UnixListener> unixListeners() {
        unixDumps++;
        return unix;
    }

    @Override
    public void close() {
        // nothing held: the same stub answers the next open
    }
}
