package io.listenq.exporter.drill;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.netlink.SockDiag;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netns.NetnsSwitch;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.cli.FlagException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code listenq-exporter drill}: a real, sustained listen-queue overflow on demand, to prove that the exporter,
 * Prometheus, the alert rules and the pager are wired end to end. A canary listener with backlog 1 that never
 * accepts is opened inside the target namespace and clients keep connecting to it, so its accept queue stays
 * full (2 = backlog + 1, as the kernel counts) and every further SYN is dropped: {@code TcpExt ListenOverflows},
 * {@code ListenDrops} and the listener's own drop count move, exactly as when an application stops accepting.
 *
 * <p>One dedicated platform thread enters the namespace with {@link NetnsSwitch} (as the sampler does), creates
 * every socket there (sockets belong to the namespace of the thread that creates them) and stays until the end.
 */
public final class Drill {
    /** The subcommand's name: {@code listenq-exporter drill ...}. */
    public static final String NAME = "drill";
    /** The alert the drill must trigger; named in the progress lines and the runbook. */
    public static final String ALERT = "ListenqListenerDropping";

    private static final long TICK_MILLIS = 100;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Long enough for a client's SYN and two retransmissions (1 s, then 2 s later), all dropped. */
    private static final long CLIENT_LIFETIME_MILLIS = 5_000;

    private final DrillOptions options;
    private final DrillTarget target;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String failure;

    private Drill(DrillOptions options, DrillTarget target, PrintStream out) {
        this.options = options;
        this.target = target;
        this.out = out;
    }

    /** Runs the subcommand to its end; returns the exit status (0 done or stopped, 1 failed, 2 bad flags). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        DrillOptions options;
        try {
            switch (DrillOptions.parse(args.toArray(String[]::new))) {
                case DrillOptions.Help h -> {
                    out.print(DrillOptions.usage());
                    return 0;
                }
                case DrillOptions.Run r -> options = r.options();
            }
        } catch (FlagException e) {
            err.println("listenq-exporter drill: " + e.getMessage());
            return 2;
        }
        // Netty derives channel ids from a MAC address and warns when a namespace has only loopback: give it one.
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:01");
        }
        Drill drill;
        try {
            drill = new Drill(
                    options, DrillTarget.resolve(options.netns(), options.procfs(), options.pathNetns()), out);
        } catch (IOException e) {
            err.println("listenq-exporter drill: " + e.getMessage());
            return 1;
        }
        Thread worker = Thread.ofPlatform().name("listenq-drill").unstarted(drill::runInNamespace);
        Thread hook = new Thread(() -> drill.stopAndWait(worker), "listenq-drill-stop");
        Runtime.getRuntime().addShutdownHook(hook); // SIGINT and SIGTERM: clean up before the JVM exits
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            drill.stopAndWait(worker);
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and waits for the worker itself
        }
        if (drill.failure != null) {
            err.println("listenq-exporter drill: " + drill.failure);
            return 1;
        }
        return 0;
    }

    private void stopAndWait(Thread worker) {
        stop.countDown();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runInNamespace() {
        try (NetnsSwitch netns = new NetnsSwitch(options.procfs())) {
            Optional<NetnsSwitch.Handle> handle = Optional.empty();
            try {
                if (target.file().isPresent()) {
                    handle = Optional.of(open(netns));
                    enter(netns, handle.get());
                }
                overflow();
            } finally {
                netns.returnHome();
                handle.ifPresent(NetnsSwitch.Handle::close);
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = e.toString();
        }
    }

    private NetnsSwitch.Handle open(NetnsSwitch netns) throws IOException {
        try {
            return netns.open(target.file().orElseThrow(), target.id());
        } catch (NativeException e) {
            throw new IOException("cannot open " + target.file().orElseThrow() + ": " + e.getMessage()
                    + (e.errno() == 13 || e.errno() == 1 ? " (another process's namespace needs CAP_SYS_PTRACE)" : ""));
        }
    }

    private void enter(NetnsSwitch netns, NetnsSwitch.Handle handle) throws IOException {
        try {
            netns.enter(handle);
        } catch (NativeException e) {
            throw new IOException("cannot enter namespace " + target.describe() + ": " + e.getMessage()
                    + (e.errno() == 1 ? " (needs CAP_SYS_ADMIN: run as root or grant it)" : ""));
        }
    }

    private void overflow() throws IOException {
        InetSocketAddress canaryAddress = new InetSocketAddress(options.address(), options.port());
        checkAddress();
        boolean v4 = options.address() instanceof Inet4Address;
        try (ServerSocketChannel canary =
                        ServerSocketChannel.open(v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                SockDiag diag = SockDiag.open()) {
            bind(canary, canaryAddress);
            try (DrillClients clients = new DrillClients(canaryAddress, options.maxClients(), CLIENT_LIFETIME_MILLIS)) {
                announce();
                if (settle()) {
                    drive(clients, diag, v4 ? Native.AF_INET : Native.AF_INET6);
                }
            }
            // clients are closed (with RST) before the canary, whose close then frees what is left in its queue
        }
        out.println("drill: closed the canary and every client socket");
        out.flush();
    }

    private void checkAddress() throws IOException {
        var address = options.address();
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IOException("--address " + address.getHostAddress() + " is not a single local address");
        }
        // NetworkInterface asks the kernel from this thread, so it lists the drill namespace's own addresses
        if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
            throw new IOException("--address " + address.getHostAddress() + " is neither loopback nor an address of "
                    + "namespace " + target.describe() + ": the drill only sends traffic to itself");
        }
    }

    private void bind(ServerSocketChannel canary, InetSocketAddress address) throws IOException {
        try {
            canary.bind(address, 1); // backlog 1: the queue is full at 2 (the kernel's test is >, not >=)
        } catch (BindException e) {
            throw new IOException("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort()
                    + " in namespace " + target.describe() + ": " + e.getMessage() + " (choose another --port)");
        }
    }

    private void announce() {
        out.printf(
                "drill: canary %s:%d (backlog 1, never accepts) in netns %s, overflowing for %s after %s,"
                        + " up to %d clients at %d/s%n",
                options.address().getHostAddress(),
                options.port(),
                target.describe(),
                Durations.format(options.duration()),
                Durations.format(options.settle()),
                options.maxClients(),
                options.rate());
        out.printf(
                "drill: %s should fire within 2 minutes of the overflow's start for netns=\"%s\" address=\"%s\""
                        + " port=\"%d\"%s; it resolves a few minutes after the drill ends%n",
                ALERT,
                target.id().inodeText(),
                options.address().getHostAddress(),
                options.port(),
                target.name().isEmpty() ? "" : " (" + target.name() + ")");
        out.flush();
    }

    /** Lets the empty canary be scraped before it overflows; false when stopped meanwhile. */
    private boolean settle() {
        if (options.settle().isZero()) {
            return true;
        }
        out.printf(
                "drill: the canary listens; the overflow starts in %s, once Prometheus has seen the listener%n",
                Durations.format(options.settle()));
        out.flush();
        try {
            if (stop.await(options.settle().toMillis(), TimeUnit.MILLISECONDS)) {
                out.println("drill: stopping early (signal)");
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        out.println("drill: overflowing now");
        out.flush();
        return true;
    }

    private void drive(DrillClients clients, SockDiag diag, int family) throws IOException {
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long nextProgress = start + PROGRESS_NANOS;
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - end >= 0) {
                    break;
                }
                long due = (now - start) * options.rate() / TimeUnit.SECONDS.toNanos(1) + 1;
                clients.open((int) Math.max(0, due - clients.opened()), now);
                if (now - nextProgress >= 0) {
                    progress(diag, family, now - start, clients);
                    nextProgress += PROGRESS_NANOS;
                }
                if (stop.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                    out.println("drill: stopping early (signal)");
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        progress(diag, family, System.nanoTime() - start, clients);
    }

    private void progress(SockDiag diag, int family, long elapsedNanos, DrillClients clients) throws IOException {
        String elapsed = Durations.format(Duration.ofSeconds(TimeUnit.NANOSECONDS.toSeconds(elapsedNanos)));
        Optional<TcpListener> canary = diag.tcpListeners(family).stream()
                .filter(l -> l.port() == options.port() && l.address().equals(options.address()))
                .findFirst();
        if (canary.isEmpty()) {
            out.printf("drill: %s: the canary is not in the kernel's LISTEN dump (closed from outside?)%n", elapsed);
        } else {
            TcpListener l = canary.get();
            String drops = l.drops().isPresent() ? Long.toString(l.drops().getAsLong()) : "unknown";
            out.printf(
                    "drill: %s: queue %d/%d%s, listener drops %s (sock_diag), clients open %d, %d started%n",
                    elapsed,
                    l.acceptQueue(),
                    l.backlog(),
                    l.acceptQueueFull() ? " full" : "",
                    drops,
                    clients.size(),
                    clients.opened());
        }
        out.flush();
    }
}
