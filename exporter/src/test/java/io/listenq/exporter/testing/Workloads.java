package io.listenq.exporter.testing;

import io.listenq.collectors.testing.TestNetns;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listeners with clients, in a {@link TestNetns}, for alert tests that must stay silent: a healthy busy service
 * (every connection accepted at once) and one whose acceptor stalls once. Clients connect on a schedule and close
 * as soon as they are connected; the servers close what they accept. Bounded: a fixed rate, stopped by close().
 */
public final class Workloads implements AutoCloseable {
    /** Closes the connection as soon as it is up (client side: the handshake is done; server side: accepted). */
    @ChannelHandler.Sharable
    private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
        private final AtomicLong count;

        CloseAtOnce(AtomicLong count) {
            this.count = count;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            count.incrementAndGet();
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ScheduledExecutorService schedule = Executors.newScheduledThreadPool(
            2, r -> Thread.ofPlatform().name("workload").daemon().unstarted(r));
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final CloseAtOnce clientHandler = new CloseAtOnce(connected);
    private final CloseAtOnce serverHandler = new CloseAtOnce(accepted);
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    /** A Netty server that accepts everything at once, and {@code perSecond} clients a second at it. */
    public void healthyBusy(TestNetns ns, InetSocketAddress address, int backlog, int perSecond) throws Exception {
        Channel server = ns.call(() -> new ServerBootstrap()
                .group(group)
                .channelFactory(() -> new EpollServerSocketChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_BACKLOG, backlog)
                .childHandler(serverHandler)
                .bind(address)
                .syncUninterruptibly()
                .channel());
        servers.add(() -> server.close().syncUninterruptibly());
        clientsAt(ns, address, perSecond);
    }

    /**
     * A blocking acceptor that stops accepting once, for {@code stallMillis} starting {@code stallAfterMillis} from
     * now, with {@code perSecond} clients a second at it throughout.
     */
    public void stallOnce(
            TestNetns ns,
            InetSocketAddress address,
            int backlog,
            int perSecond,
            long stallAfterMillis,
            long stallMillis)
            throws Exception {
        ServerSocketChannel server = ns.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
            s.bind(address, backlog);
            return s;
        });
        servers.add(server); // closing it also ends the acceptor's blocking accept()
        long stallAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stallAfterMillis);
        Thread.ofPlatform().name("workload-acceptor").daemon().start(() -> {
            boolean stalled = false;
            try (server) {
                while (!schedule.isShutdown()) {
                    if (!stalled && System.nanoTime() - stallAt >= 0) {
                        stalled = true;
                        Thread.sleep(stallMillis);
                    }
                    try (SocketChannel c = server.accept()) {
                        accepted.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                // closed by close(), or interrupted: the workload is over
            }
        });
        clientsAt(ns, address, perSecond);
    }

    private void clientsAt(TestNetns ns, InetSocketAddress address, int perSecond) {
        Bootstrap clients = new Bootstrap()
                .group(group)
                .channelFactory(() -> new EpollSocketChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(clientHandler);
        int perTick = Math.max(1, perSecond / 10);
        schedule.scheduleAtFixedRate(
                () -> {
                    try {
                        ns.call(
                                () -> { // sockets are made in the namespace of the thread that calls connect
                                    for (int i = 0; i < perTick; i++) {
                                        clients.connect(address);
                                    }
                                    return null;
                                });
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
    }

    /** Client connections that completed a handshake so far. */
    public long connected() {
        return connected.get();
    }

    /** Connections the servers accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws InterruptedException {
        schedule.shutdownNow();
        schedule.awaitTermination(5, TimeUnit.SECONDS);
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                // already closed
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
