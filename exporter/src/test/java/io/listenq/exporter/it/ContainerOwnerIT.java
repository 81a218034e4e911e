package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.testing.TestNetns;
import io.listenq.exporter.testing.Containers;
import io.listenq.exporter.testing.ExporterProcess;
import io.listenq.exporter.testing.MetricsText;
import io.listenq.exporter.testing.NeverAccepts;
import io.listenq.exporter.testing.Teardown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A podman container's listener is owned by that container: the exporter on the host (--netns=all) labels it with
 * the container's id and cgroup, the cgroup {@code ss -ltn --cgroup} shows inside the container's namespace.
 */
class ContainerOwnerIT {
    private static final int APP_PORT = 7150;
    private static final int BACKLOG = 6;

    private static GenericContainer<?> app;
    private static ExporterProcess exporter;
    private static String appNetns;
    private static long appPid;

    @BeforeAll
    static void setUp() throws Exception {
        TestNetns.assumeRootWithIproute();
        Containers.requirePodman();
        app = new GenericContainer<>(DockerImageName.parse(Containers.BASE_IMAGE))
                .withFileSystemBind(
                        Path.of("target/test-classes").toAbsolutePath().toString(), "/app", BindMode.READ_ONLY)
                // the base has no Java: the exporter's runtime, mounted
                .withFileSystemBind(Containers.runtimeDir(), Containers.RUNTIME_MOUNT, BindMode.READ_ONLY)
                .withCommand(
                        Containers.MOUNTED_JAVA,
                        "-Xmx32m",
                        "-cp",
                        "/app",
                        NeverAccepts.class.getName(),
                        Integer.toString(APP_PORT),
                        Integer.toString(BACKLOG))
                .withCreateContainerCmdModifier(
                        cmd -> cmd.getHostConfig().withCapDrop(Capability.ALL).withInit(true))
                .waitingFor(Wait.forLogMessage(".*listening on 0\\.0\\.0\\.0:" + APP_PORT + ".*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        app.start();
        appPid = Containers.hostPid(app);
        appNetns = NetnsId.of(Path.of("/proc/" + appPid + "/ns/net")).inodeText();
        exporter = ExporterProcess.start(
                List.of(),
                ExporterProcess.freePort(),
                "--netns=all",
                "--sample.interval=200ms",
                "--netns.refresh-interval=1s",
                "--netns.include=" + appNetns + "|host");
        exporter.awaitReady(Duration.ofSeconds(30));
    }

    @AfterAll
    static void tearDown() throws Exception {
        Teardown.closeAll(exporter, app == null ? null : (AutoCloseable) app::stop);
    }

    @Test
    void theContainersListenerCarriesItsContainerId() throws Exception {
        String[] l = {"netns", appNetns, "family", "ipv4", "address", "0.0.0.0", "port", Integer.toString(APP_PORT)};
        MetricsText.Sample info = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            info = exporter.scrape().single("listenq_listener_info", l).orElse(null);
            if (info != null && !info.label("container_id").isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(info).as(exporter.output()).isNotNull();
        assertThat(info.label("container_id")).isEqualTo(app.getContainerId());

        Containers.Result ss = Containers.run(List.of(
                "nsenter", "-t", Long.toString(appPid), "-n", "ss", "-Hltn", "--cgroup", "sport = :" + APP_PORT));
        assertThat(ss.exitCode()).as(ss.output()).isZero();
        String[] f = ss.output().strip().split("\\s+");
        assertThat(f[f.length - 1]).as(ss.output()).isEqualTo("cgroup:" + info.label("cgroup"));
        assertThat(info.label("cgroup")).contains(app.getContainerId());
        assertThat(Integer.parseInt(f[2])).isEqualTo(BACKLOG);
        assertThat(exporter.scrape().value("listenq_accept_queue_backlog", l)).isEqualTo(BACKLOG);
    }
}
