package io.listenq.exporter.drill;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The drill's clients: Netty epoll connections to the canary that send nothing. Each lives {@code lifetime}
 * (its SYN and the kernel's retransmissions 1 s and 3 s later are dropped by the full queue, each one a
 * listener drop), then is closed; at most {@code max} are open at once. Closing uses SO_LINGER 0, so a client
 * that did complete a handshake leaves with a RST instead of lingering in FIN_WAIT or TIME_WAIT.
 *
 * <p>Netty creates a channel's socket in the thread that calls {@code connect}, so {@link #open} must run on the
 * thread that is inside the drill's namespace; the event loop thread need not be.
 */
final class DrillClients implements AutoCloseable {
    @ChannelHandler.Sharable
    private static final class Silent extends ChannelInboundHandlerAdapter {}

    private record Client(Channel channel, long openedNanos) {}

    private static final Silent SILENT = new Silent();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ArrayDeque<Client> clients = new ArrayDeque<>();
    private final Bootstrap bootstrap;
    private final InetSocketAddress target;
    private final int max;
    private final long lifetimeNanos;
    private long opened;

    DrillClients(InetSocketAddress target, int max, long lifetimeMillis) {
        this.target = target;
        this.max = max;
        this.lifetimeNanos = TimeUnit.MILLISECONDS.toNanos(lifetimeMillis);
        SocketProtocolFamily family =
                target.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollSocketChannel(family))
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) lifetimeMillis)
                .handler(SILENT);
    }

    /** Closes clients past their lifetime, then opens up to {@code count} new ones within the cap. */
    void open(int count, long nowNanos) {
        while (!clients.isEmpty() && nowNanos - clients.peekFirst().openedNanos() >= lifetimeNanos) {
            close(clients.pollFirst().channel());
        }
        for (int i = 0; i < count; i++) {
            if (clients.size() >= max) {
                close(clients.pollFirst().channel());
            }
            ChannelFuture f = bootstrap.connect(target);
            clients.addLast(new Client(f.channel(), nowNanos));
            opened++;
        }
    }

    int size() {
        return clients.size();
    }

    long opened() {
        return opened;
    }

    private static void close(Channel c) {
        if (c.isRegistered()) {
            c.close();
        } else {
            c.unsafe().closeForcibly(); // never reached the event loop: release the fd here
        }
    }

    @Override
    public void close() {
        while (!clients.isEmpty()) {
            close(clients.pollFirst().channel());
        }
        // the event loop runs the queued closes before it stops
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
