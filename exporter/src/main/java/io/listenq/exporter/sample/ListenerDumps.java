package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.SockDiag;
import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import java.io.IOException;
import java.util.List;

/**
 * The sock_diag dumps a {@link NamespaceReader} needs: a seam so that tests can make them fail. Production
 * code uses {@link #open()}, a {@link SockDiag} created in the calling thread's namespace.
 */
interface ListenerDumps extends AutoCloseable {
    /** TCP listeners of both families, IPv4 then IPv6. */
    List<TcpListener> tcpListeners() throws IOException;

    /** SYN-RECV request sockets of both families, IPv4 then IPv6. */
    List<SynRecv> synRecv() throws IOException;

    List<UnixListener> unixListeners() throws IOException;

    @Override
    void close();

    /** Opens the dumps of the calling thread's namespace. */
    interface Opener {
        ListenerDumps open() throws IOException;
    }

    /**
     * Opens the dumps of the calling thread's namespace, with buffers shared by every namespace's socket; TCP dumps
     * take one walk for both families where the kernel allows it ({@link OneWalk#PROCESS}).
     */
    static ListenerDumps open(SockDiag.Buffers shared) throws IOException {
        SockDiag diag = SockDiag.open(shared);
        return new ListenerDumps() {
            @Override
            public List<TcpListener> tcpListeners() throws IOException {
                return OneWalk.PROCESS.dump(diag::tcpListeners, diag::tcpListeners);
            }

            @Override
            public List<SynRecv> synRecv() throws IOException {
                return OneWalk.PROCESS.dump(diag::synRecv, diag::synRecv);
            }

            @Override
            public List<UnixListener> unixListeners() throws IOException {
                return diag.unixListeners();
            }

            @Override
            public void close() {
                diag.close();
            }
        };
    }
}
