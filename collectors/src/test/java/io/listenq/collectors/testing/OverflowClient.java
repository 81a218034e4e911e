package io.listenq.collectors.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TCP clients on Netty's native epoll transport that connect and never send or close, to fill a
 * listener's accept queue. Netty creates a channel's socket in the thread calling
 * {@code connect}/{@code bind}, so call those on a {@link TestNetns} thread: the sockets land in that
 * namespace although the event loop thread does not.
 */
public final class OverflowClient implements AutoCloseable {
    /** Does nothing; shared by every channel (Netty refuses to reuse a non-@Sharable handler). */
    @ChannelHandler.Sharable
    private static final class Idle extends ChannelInboundHandlerAdapter {}

    private static final Idle IDLE = new Idle();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();

    /**
     * Starts {@code count} connections to {@code target} (must be resolved) without waiting for the
     * handshakes (overflowed ones never finish). Sockets use the target's family (no v4-mapped
     * IPv6 sockets for IPv4 targets).
     */
    public void connect(InetSocketAddress target, int count) {
        SocketProtocolFamily family = family(target);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollSocketChannel(family))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .handler(IDLE);
        for (int i = 0; i < count; i++) {
            ChannelFuture f = bootstrap.connect(target);
            channels.add(f.channel());
            if (f.isDone() && f.cause() != null) {
                throw new IllegalStateException("connect to " + target + " failed at once", f.cause());
            }
        }
    }

    private static SocketProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    /**
     * A listener with TCP_DEFER_ACCEPT: handshakes whose client sends nothing stay request sockets
     * (SYN-RECV) on the server side for {@code deferSeconds}, a reliable way to get SYN-RECV entries.
     */
    public Channel deferAcceptListener(InetSocketAddress local, int backlog, int deferSeconds) {
        SocketProtocolFamily family = family(local);
        Channel server = new ServerBootstrap()
                .group(group)
                .channelFactory(() -> new EpollServerSocketChannel(family))
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(EpollChannelOption.TCP_DEFER_ACCEPT, deferSeconds)
                .childHandler(IDLE)
                .bind(local)
                .syncUninterruptibly()
                .channel();
        channels.add(server);
        return server;
    }

    public int size() {
        return channels.size();
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            if (c.isRegistered()) {
                c.close();
            } else {
                c.unsafe().closeForcibly(); // never reached an event loop: release the fd directly
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
