package io.listenq.exporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.Containers;
import io.listenq.exporter.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package as an administrator meets it: {@code lintian --fail-on error} passes; {@code apt-get install
 * ./listenq-exporter_*.deb} in a clean Debian bookworm (debootstrap, deploy/systemd/debian-rootfs.sh) booted with
 * systemd as PID 1 in podman starts the service as its system user and it answers scrapes; an edited
 * /etc/default/listenq-exporter survives a reinstall; {@code apt-get purge} leaves no process, unit, user or file.
 * In the same Debian without systemd running the package installs and starts nothing.
 */
class DebPackageIT {
    private static Path podman;
    private static Path deb;
    private static String rootfs;

    @BeforeAll
    static void setUp() throws IOException {
        podman = Containers.requirePodman();
        ExternalTool.require("debootstrap");
        try (Stream<Path> debs = Files.list(Path.of("target"))) {
            deb = debs.filter(p -> p.getFileName().toString().matches("listenq-exporter_.*_amd64\\.deb"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/listenq-exporter_*_amd64.deb: "
                            + "mvn package makes it with dpkg-deb and fakeroot (.ci/run installs them)"))
                    .toAbsolutePath();
        }
        Containers.Result r = Containers.run(List.of(PrometheusEndToEndIT.repoRoot()
                .resolve("deploy/systemd/debian-rootfs.sh")
                .toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        rootfs = r.output().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void lintianFindsNoError() throws IOException {
        Path lintian = ExternalTool.require("lintian");
        Containers.Result r = Containers.run(List.of(lintian.toString(), "--fail-on", "error", deb.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContainPattern("(?m)^E: ");
    }

    @Test
    void installUnderSystemdRunsTheServiceAndPurgeLeavesNothing() throws Exception {
        try (Box box = Box.start("--systemd=always", "--privileged", "/sbin/init")) {
            box.awaitSystemd();
            assertThat(box.sh("systemctl list-unit-files listenq-exporter.service | grep -c listenq || true")
                            .output()
                            .strip())
                    .isEqualTo("0");
            Containers.Result install = box.aptGet("install", "/root/" + deb.getFileName());
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(box.sh("systemctl is-enabled listenq-exporter").output().strip())
                    .isEqualTo("enabled");
            String scrape = box.awaitScrape(9469);
            assertThat(scrape).contains("listenq_build_info").containsPattern("(?m)^listenq_netns \\d");
            // The main process is the JVM of the packaged runtime, as the package's system user.
            String pid = box.sh("systemctl show -p MainPID --value listenq-exporter")
                    .output()
                    .strip();
            assertThat(box.sh("readlink /proc/" + pid + "/exe").output().strip())
                    .isEqualTo("/usr/lib/listenq-exporter/bin/java");
            String uid = box.sh("id -u listenq-exporter").output().strip();
            assertThat(box.sh("awk '/^Uid:/ {print $2}' /proc/" + pid + "/status")
                            .output()
                            .strip())
                    .isEqualTo(uid);

            // A local change to the conffile survives reinstalling the package, and the service restarts with it.
            box.sh("echo 'ARGS=\"--web.listen-address=:9470\"' >/etc/default/listenq-exporter");
            Containers.Result again = box.sh("DEBIAN_FRONTEND=noninteractive dpkg -i /root/" + deb.getFileName());
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(box.sh("cat /etc/default/listenq-exporter").output()).contains(":9470");
            assertThat(box.awaitScrape(9470)).contains("listenq_build_info");

            Containers.Result purge = box.aptGet("purge", "listenq-exporter");
            assertThat(purge.exitCode()).as(purge.output()).isZero();
            assertThat(box.sh("pgrep -f '[l]istenq-exporter' || echo none")
                            .output()
                            .strip())
                    .isEqualTo("none");
            assertThat(box.sh("systemctl list-unit-files listenq-exporter.service | grep -c listenq || true")
                            .output()
                            .strip())
                    .isEqualTo("0");
            assertThat(box.sh("systemctl is-active listenq-exporter || true")
                            .output()
                            .strip())
                    .isEqualTo("inactive");
            assertThat(box.sh("getent passwd listenq-exporter || echo none")
                            .output()
                            .strip())
                    .isEqualTo("none");
            assertThat(box.sh(
                                    "ls /usr/lib/listenq-exporter /etc/default/listenq-exporter "
                                            + "/etc/systemd/system/multi-user.target.wants/listenq-exporter.service 2>&1 | grep -vc 'No such file' || true")
                            .output()
                            .strip())
                    .isEqualTo("0");
        }
    }

    @Test
    void installWithoutSystemdStartsNothing() throws Exception {
        try (Box box = Box.start("sleep", "infinity")) {
            Containers.Result install = box.aptGet("install", "/root/" + deb.getFileName());
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(install.output()).doesNotContain("systemctl", "Failed");
            assertThat(box.sh("getent passwd listenq-exporter").exitCode()).isZero();
            assertThat(box.sh("pgrep -f '[/]usr/lib/listenq-exporter' || echo none")
                            .output()
                            .strip())
                    .isEqualTo("none");
            // The launcher works on Debian without any Java installed.
            Containers.Result version = box.sh("listenq-exporter --version");
            assertThat(version.output()).as(version.output()).startsWith("listenq-exporter ");
            Containers.Result purge = box.aptGet("purge", "listenq-exporter");
            assertThat(purge.exitCode()).as(purge.output()).isZero();
            assertThat(box.sh("getent passwd listenq-exporter || echo none")
                            .output()
                            .strip())
                    .isEqualTo("none");
        }
    }

    /** A container on the cached Debian rootfs (overlay: the cache stays clean) with the package copied in. */
    private record Box(String name) implements AutoCloseable {
        static Box start(String... command) throws IOException {
            String name = "lq-deb-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            List<String> run = new ArrayList<>(List.of(podman.toString(), "run", "-d", "--name", name));
            List<String> rest = new ArrayList<>(List.of(command));
            while (!rest.isEmpty() && rest.getFirst().startsWith("--")) {
                run.add(rest.removeFirst());
            }
            run.addAll(List.of("--rootfs", rootfs + ":O"));
            run.addAll(rest);
            Containers.Result r = Containers.run(run);
            assertThat(r.exitCode()).as(r.output()).isZero();
            Box box = new Box(name);
            Containers.Result cp = Containers.run(List.of(podman.toString(), "cp", deb.toString(), name + ":/root/"));
            assertThat(cp.exitCode()).as(cp.output()).isZero();
            return box;
        }

        Containers.Result sh(String script) throws IOException {
            return Containers.run(List.of(podman.toString(), "exec", name, "sh", "-c", script));
        }

        Containers.Result aptGet(String... args) throws IOException {
            return sh(
                    "DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Use-Pty=0 " + String.join(" ", args) + " 2>&1");
        }

        void awaitSystemd() throws Exception {
            for (int i = 0; i < 150; i++) {
                String state =
                        sh("systemctl is-system-running || true").output().strip();
                if (state.equals("running") || state.equals("degraded")) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("systemd did not finish booting: "
                    + sh("systemctl is-system-running").output());
        }

        /** /metrics on 127.0.0.1:port inside the box, once it answers (30 s at most). */
        /**
         * The first scrape after the service is ready: the port opens while the first round is still running, and a
         * scrape before it has only the build info (wget exits non-zero on /-/ready's 503 until then).
         */
        String awaitScrape(int port) throws Exception {
            Containers.Result last = null;
            for (int i = 0; i < 60; i++) {
                last = sh("wget -q -O /dev/null http://127.0.0.1:" + port + "/-/ready && wget -q -O - http://127.0.0.1:"
                        + port + "/metrics");
                if (last.exitCode() == 0) {
                    return last.output();
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no scrape on :" + port + " (" + last.output() + "):\n"
                    + sh("systemctl status --no-pager listenq-exporter; journalctl -u listenq-exporter --no-pager | tail -20")
                            .output());
        }

        @Override
        public void close() throws IOException {
            Containers.run(List.of(podman.toString(), "rm", "-f", "-t", "0", name));
        }
    }
}
