package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.SsOracle;
import io.listenq.exporter.testing.Containers;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.NeverAccepts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The sidecar deployment (deploy/kubernetes/sidecar-example.yaml) with real containers on podman: an application
 * container whose listener (backlog 2) never accepts, and the exporter image built from the project's Dockerfile
 * in the application's network namespace (network mode container:APP, as containers of a pod share one), with
 * --netns=self, uid 65534, every capability dropped, read-only root and no-new-privileges. Both ports are published
 * on 127.0.0.1 only. Clients on the host overflow the application's listener through its published port; the
 * exporter's /metrics must show it full (length = backlog + 1) and dropping, equal to {@code ss} run by the host
 * in the application's namespace (nsenter) before and after the scrape.
 */
class ContainerSidecarIT {
    private static final int APP_PORT = 8080;
    private static final int BACKLOG = 2;
    private static final int EXPORTER_PORT = 9469;

    private static Path podman;
    private static String image;
    private static GenericContainer<?> app;
    private static GenericContainer<?> exporter;
    private static OverflowClient clients;

    private static String appNetns;
    private static List<SsOracle.Listener> ssBefore;
    private static List<SsOracle.Listener> ssAfter;
    private static MetricsText metrics;
    private static long exporterPid;

    @BeforeAll
    static void setUp() throws Exception {
        podman = Containers.requirePodman();
        image = Containers.buildExporterImage(podman, PrometheusEndToEndIT.repoRoot());
        ExposedPort appPort = ExposedPort.tcp(APP_PORT);
        ExposedPort metricsPort = ExposedPort.tcp(EXPORTER_PORT);
        // The application: a Java program on the exporter image's runtime (the base has no Java).
        app = new GenericContainer<>(DockerImageName.parse(image))
                .withFileSystemBind(
                        Path.of("target/test-classes").toAbsolutePath().toString(), "/app", BindMode.READ_ONLY)
                .withCommand(
                        "-Xmx32m",
                        "-cp",
                        "/app",
                        NeverAccepts.class.getName(),
                        Integer.toString(APP_PORT),
                        Integer.toString(BACKLOG))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint(Containers.IMAGE_JAVA);
                    cmd.withExposedPorts(appPort, metricsPort);
                    cmd.getHostConfig()
                            .withPortBindings(
                                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), appPort),
                                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), metricsPort))
                            .withCapDrop(Capability.ALL)
                            .withInit(true);
                })
                .waitingFor(Wait.forLogMessage(".*listening on 0\\.0\\.0\\.0:" + APP_PORT + ".*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        app.start();
        exporter = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("container:" + app.getContainerId())
                .withCommand("--netns=self")
                .withTmpFs(Map.of("/tmp", "rw,size=64m")) // the JVM's perf data; the root is read-only
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapDrop(Capability.ALL)
                        .withReadonlyRootfs(true)
                        .withSecurityOpts(List.of("no-new-privileges")))
                .waitingFor(Wait.forLogMessage(".*listening on.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        exporter.start();
        exporterPid = Containers.hostPid(exporter);
        long appPid = Containers.hostPid(app);
        appNetns = Files.readSymbolicLink(Path.of("/proc/" + appPid + "/ns/net"))
                .toString()
                .replaceAll("^net:\\[(\\d+)\\]$", "$1");
        int metricsHostPort = Containers.publishedPort(app, EXPORTER_PORT);
        awaitReady(metricsHostPort);

        clients = new OverflowClient();
        clients.connect(new InetSocketAddress("127.0.0.1", Containers.publishedPort(app, APP_PORT)), 20);
        Thread.sleep(1_500); // the queue fills; refused SYNs are retransmitted after 1 s, so drops are > 0
        ssBefore = ss(appPid);
        Thread.sleep(1_500); // a sample (every 1 s) taken after the "before" reading
        metrics = MetricsText.parse(
                ExporterProcess.get(metricsHostPort, "/metrics", null).body());
        ssAfter = ss(appPid);
    }

    private static void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (ExporterProcess.get(port, "/-/ready", null).code() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("exporter container not ready:\n" + exporter.getLogs());
    }

    /** ss in the application's namespace, entered from the host. */
    private static List<SsOracle.Listener> ss(long pid) throws Exception {
        Containers.Result r = Containers.run(List.of("nsenter", "-t", Long.toString(pid), "-n", "ss", "-Hltnm"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return SsOracle.parseListeners(r.output()).stream()
                .filter(l -> l.port() == APP_PORT)
                .toList();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (exporter != null) {
            exporter.stop(); // kills and removes
        }
        if (app != null) {
            app.stop();
        }
        if (image != null) {
            Containers.removeImage(podman, image);
        }
    }

    @Test
    void exporterSeesTheApplicationsOverflowingListener() {
        String[] l = {"netns", appNetns, "family", "ipv4", "address", "0.0.0.0", "port", Integer.toString(APP_PORT)};
        assertThat(ssBefore)
                .singleElement()
                .satisfies(s -> assertThat(s.recvQ()).isEqualTo(BACKLOG + 1));
        assertThat(metrics.value("listenq_accept_queue_length", l))
                .isEqualTo(BACKLOG + 1)
                .isEqualTo(ssAfter.getFirst().recvQ());
        assertThat(metrics.value("listenq_accept_queue_backlog", l))
                .isEqualTo(BACKLOG)
                .isEqualTo(ssBefore.getFirst().sendQ());
        assertThat(metrics.value("listenq_listener_drops_total", l))
                .isPositive()
                .isBetween((double) ssBefore.getFirst().drops(), (double)
                        ssAfter.getFirst().drops());
        assertThat(metrics.value("listenq_accept_queue_full_seconds_total", l)).isPositive();
        assertThat(metrics.value("listenq_listen_overflows_total", "netns", appNetns))
                .isPositive();
        assertThat(metrics.value("listenq_netns"))
                .as("--netns=self samples one namespace")
                .isEqualTo(1);
    }

    @Test
    void exporterRunsWithoutPrivileges() throws Exception {
        assertThat(Containers.status(exporterPid, "Uid")).isEqualTo("65534\t65534\t65534\t65534");
        assertThat(Containers.status(exporterPid, "CapEff")).isEqualTo("0000000000000000");
        assertThat(Containers.status(exporterPid, "CapBnd")).isEqualTo("0000000000000000");
        assertThat(Containers.status(exporterPid, "NoNewPrivs")).isEqualTo("1");
        for (String c : new String[] {"netstat", "sysctl", "tcp_listeners", "unix_listeners"}) {
            assertThat(metrics.value("listenq_collector_success", "collector", c))
                    .as(c)
                    .isEqualTo(1);
        }
        // the jlink'd runtime has what the standard process metrics need (jdk.management, /proc/self)
        assertThat(metrics.value("process_cpu_seconds_total")).isPositive();
        assertThat(metrics.value("process_open_fds")).isPositive();
        assertThat(metrics.value("process_resident_memory_bytes")).isPositive();
    }

    @Test
    void imageRunsItsOwnRuntimeQuietly() throws Exception {
        // The JVM itself is pid 1's exec'd program (the launcher execs it), from the image's runtime.
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + exporterPid + "/exe"))
                        .toString())
                .endsWith(Containers.IMAGE_JAVA);
        // Options are baked into the runtime: no JDK_JAVA_OPTIONS note, no AOT cache complaint.
        assertThat(exporter.getLogs()).doesNotContain("Picked up", "NOTE:", "[aot]", "[cds]");
    }
}
