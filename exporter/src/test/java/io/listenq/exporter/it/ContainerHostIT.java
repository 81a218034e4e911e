package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.Containers;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.Teardown;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The host deployment as a container (what the DaemonSet does) on podman: the exporter image built from the
 * project's Dockerfile with the host's PID namespace, uid 0 with every capability dropped but CAP_SYS_ADMIN and
 * CAP_SYS_PTRACE, read-only root, no-new-privileges, /run/netns mounted read-only with rslave propagation
 * (Kubernetes' HostToContainer), --netns=all, host network (listening on 127.0.0.1 only). It must name and sample
 * a namespace made with {@code ip netns add} before it started (no process inside: found only through /run/netns),
 * with an overflowing listener, and one made after it started (seen only if the mount propagates).
 */
class ContainerHostIT {
    /** Unique per run: the exporter counts every namespace it matches, so another run's must not match. */
    private static final String PREFIX =
            "lq-e2e-host" + Long.toHexString(ProcessHandle.current().pid());

    private static final int PORT = 7070;
    private static final int BACKLOG = 3;
    private static final int LATE_BACKLOG = 7;
    /** The two capabilities: CAP_SYS_PTRACE (19) and CAP_SYS_ADMIN (21), include/uapi/linux/capability.h. */
    private static final String TWO_CAPS = String.format("%016x", (1L << 19) | (1L << 21));

    private static Path podman;
    private static String image;
    private static GenericContainer<?> exporter;
    private static TestNetns early;
    private static TestNetns late;
    private static final List<ServerSocketChannel> listeners = new ArrayList<>();
    private static OverflowClient clients;
    private static long exporterPid;
    private static MetricsText metrics;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        podman = Containers.requirePodman();
        image = Containers.buildExporterImage(podman, PrometheusEndToEndIT.repoRoot());
        clients = new OverflowClient();
        early = TestNetns.create(PREFIX);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), PORT);
        early.call(() -> {
            listeners.add(listen(target, BACKLOG));
            clients.connect(target, 15);
            return null;
        });

        int port = ExporterProcess.freePort();
        exporter = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("host")
                .withCommand(
                        "--netns=all",
                        "--web.listen-address=127.0.0.1:" + port,
                        // this test's namespaces and the host's: not those of whatever else runs on the machine
                        "--netns.include=" + PREFIX + "-[0-9a-f]{8}|host",
                        "--netns.refresh-interval=1s")
                .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser("0:0");
                    cmd.getHostConfig()
                            .withPidMode("host")
                            .withCapDrop(Capability.ALL)
                            .withCapAdd(Capability.SYS_ADMIN, Capability.SYS_PTRACE)
                            .withReadonlyRootfs(true)
                            .withSecurityOpts(List.of("no-new-privileges"))
                            .withBinds(new Bind(
                                    "/run/netns",
                                    new Volume("/run/netns"),
                                    AccessMode.ro,
                                    SELContext.none,
                                    null,
                                    PropagationMode.RSLAVE));
                })
                .waitingFor(Wait.forLogMessage(".*listening on.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        exporter.start();
        exporterPid = Containers.hostPid(exporter);

        late = TestNetns.create(PREFIX);
        late.call(() -> listeners.add(listen(target, LATE_BACKLOG)));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            Thread.sleep(500);
            try {
                metrics = MetricsText.parse(
                        ExporterProcess.get(port, "/metrics", null).body());
            } catch (java.io.IOException e) {
                continue; // not listening yet
            }
        } while (System.nanoTime() < deadline
                && (metrics == null
                        || metrics.single("listenq_netns_info", "name", late.name())
                                .isEmpty()
                        || metrics.find("listenq_accept_queue_length", "netns", inode(late))
                                .isEmpty()
                        || metrics.find("listenq_listener_drops_total", "netns", inode(early)).stream()
                                .noneMatch(s -> s.value() > 0)));
        assertThat(metrics)
                .as("metrics from the container:\n%s", exporter.getLogs())
                .isNotNull();
    }

    private static ServerSocketChannel listen(InetSocketAddress address, int backlog) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
        s.bind(address, backlog); // never accepted
        return s;
    }

    private static String inode(TestNetns ns) throws Exception {
        return ns.inode();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            Teardown.closeAll(exporter, clients, listeners, early, late); // closing the container stops and removes it
        } finally {
            if (image != null) {
                Containers.removeImage(podman, image);
            }
        }
    }

    @Test
    void namespacesMadeWithIpNetnsAreNamedAndSampled() throws Exception {
        for (TestNetns ns : new TestNetns[] {early, late}) {
            assertThat(metrics.single("listenq_netns_info", "name", ns.name()))
                    .as(ns.name() + " in:\n" + metrics.text())
                    .hasValueSatisfying(s -> assertThat(s.label("netns")).isEqualTo(inodeUnchecked(ns)));
        }
        assertThat(metrics.find("listenq_netns_info", "name", "host")).hasSize(1);
        assertThat(metrics.value("listenq_netns")).isEqualTo(3);
        assertThat(metrics.value("listenq_collector_success", "collector", "netns_discovery"))
                .isEqualTo(1);
    }

    @Test
    void overflowingListenerInAnotherNamespace() throws Exception {
        String[] l = {"netns", inode(early), "family", "ipv4", "address", "127.0.0.1", "port", Integer.toString(PORT)};
        assertThat(metrics.value("listenq_accept_queue_length", l)).isEqualTo(BACKLOG + 1);
        assertThat(metrics.value("listenq_accept_queue_backlog", l)).isEqualTo(BACKLOG);
        assertThat(metrics.value("listenq_listener_drops_total", l)).isPositive();
        assertThat(metrics.value("listenq_listen_overflows_total", "netns", inode(early)))
                .isPositive();
        String[] lateListener = {
            "netns", inode(late), "family", "ipv4", "address", "127.0.0.1", "port", Integer.toString(PORT)
        };
        assertThat(metrics.value("listenq_accept_queue_backlog", lateListener)).isEqualTo(LATE_BACKLOG);
        assertThat(metrics.value("listenq_accept_queue_length", lateListener)).isZero();
    }

    @Test
    void exporterHasOnlyTheTwoCapabilities() throws Exception {
        assertThat(Containers.status(exporterPid, "Uid")).isEqualTo("0\t0\t0\t0");
        assertThat(Containers.status(exporterPid, "CapEff")).isEqualTo(TWO_CAPS);
        assertThat(Containers.status(exporterPid, "CapBnd")).isEqualTo(TWO_CAPS);
        assertThat(Containers.status(exporterPid, "NoNewPrivs")).isEqualTo("1");
    }

    private static String inodeUnchecked(TestNetns ns) {
        try {
            return inode(ns);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
