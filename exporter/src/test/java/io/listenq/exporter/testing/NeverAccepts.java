package io.listenq.exporter.testing;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;

/**
 * The "application" of the container tests: an IPv4 listener on 0.0.0.0:PORT with backlog BACKLOG that never
 * calls accept(), so its accept queue fills at BACKLOG + 1 and further handshakes are dropped. Run with
 * {@code java -cp CLASSES io.listenq.exporter.testing.NeverAccepts PORT BACKLOG} on the Java base image.
 */
public final class NeverAccepts {
    private NeverAccepts() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backlog = Integer.parseInt(args[1]);
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            s.bind(new InetSocketAddress("0.0.0.0", port), backlog);
            System.out.println("listening on 0.0.0.0:" + port + " backlog " + backlog);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
