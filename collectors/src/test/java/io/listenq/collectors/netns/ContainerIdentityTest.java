package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.Captures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerIdentityTest {

    private static final String ID = "3f4e8c1a9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    private static final String ID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String UID = "8a5c2e1f-7b3d-4c6a-9e0f-1d2c3b4a5f6e";
    private static final String UID_ = UID.replace('-', '_');
    private static final String STATIC_UID = "d41d8cd98f00b204e9800998ecf8427e";

    static List<Arguments> cases() {
        return List.of(
                // Docker
                Arguments.of("docker systemd", "0::/system.slice/docker-" + ID + ".scope\n", ID, ""),
                Arguments.of("docker cgroupfs", "0::/docker/" + ID + "\n", ID, ""),
                Arguments.of("docker in docker: innermost", "0::/docker/" + ID2 + "/docker/" + ID + "\n", ID, ""),
                Arguments.of("systemd inside docker", "0::/system.slice/docker-" + ID + ".scope/init.scope\n", ID, ""),
                // Kubernetes, systemd driver
                Arguments.of(
                        "k8s systemd burstable containerd",
                        "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_
                                + ".slice/cri-containerd-" + ID + ".scope\n",
                        ID,
                        UID),
                Arguments.of(
                        "k8s systemd besteffort cri-o",
                        "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_ + ".slice/crio-"
                                + ID + ".scope\n",
                        ID,
                        UID),
                Arguments.of(
                        "k8s systemd guaranteed (no qos level)",
                        "0::/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope\n",
                        ID,
                        UID),
                Arguments.of(
                        "k8s systemd pod slice only",
                        "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice\n",
                        "",
                        UID),
                Arguments.of(
                        "k8s static pod uid hash",
                        "0::/kubepods.slice/kubepods-pod" + STATIC_UID + ".slice/cri-containerd-" + ID + ".scope\n",
                        ID,
                        STATIC_UID),
                // Kubernetes, cgroupfs driver
                Arguments.of("k8s cgroupfs burstable", "0::/kubepods/burstable/pod" + UID + "/" + ID + "\n", ID, UID),
                Arguments.of("k8s cgroupfs guaranteed", "0::/kubepods/pod" + UID + "/" + ID + "\n", ID, UID),
                // Podman
                Arguments.of("podman", "0::/machine.slice/libpod-" + ID + ".scope\n", ID, ""),
                Arguments.of(
                        "podman container payload", "0::/machine.slice/libpod-" + ID + ".scope/container\n", ID, ""),
                Arguments.of(
                        "podman conmon is not the container",
                        "0::/machine.slice/libpod-conmon-" + ID + ".scope\n",
                        "",
                        ""),
                Arguments.of("podman, cgroupfs manager", "0::/libpod_parent/libpod-" + ID + "\n", ID, ""),
                Arguments.of(
                        "cri-o conmon is not the container",
                        "0::/kubepods.slice/kubepods-pod" + UID_ + ".slice/crio-conmon-" + ID + ".scope\n",
                        "",
                        UID),
                // v1 / hybrid
                Arguments.of(
                        "hybrid: v2 line is / , v1 has it",
                        "12:memory:/docker/" + ID + "\n1:name=systemd:/docker/" + ID + "\n0::/\n",
                        ID,
                        ""),
                Arguments.of(
                        "v1 name=systemd preferred over other controllers",
                        "4:cpu:/docker/" + ID2 + "\n1:name=systemd:/system.slice/docker-" + ID + ".scope\n",
                        ID,
                        ""),
                Arguments.of("v1 only", "5:pids:/kubepods/besteffort/pod" + UID + "/" + ID + "\n", ID, UID),
                Arguments.of("deleted cgroup", "0::/docker/" + ID + " (deleted)\n", ID, ""),
                // Negatives
                Arguments.of("host init.scope", "0::/init.scope\n", "", ""),
                Arguments.of("user session", "0::/user.slice/user-1000.slice/session-3.scope\n", "", ""),
                Arguments.of("plain service", "0::/system.slice/sshd.service\n", "", ""),
                Arguments.of("root", "0::/\n", "", ""),
                Arguments.of("short id", "0::/docker/" + ID.substring(0, 12) + "\n", "", ""),
                Arguments.of("uppercase hex", "0::/docker/" + ID.toUpperCase() + "\n", "", ""),
                Arguments.of("bad pod uid", "0::/kubepods/pod123/" + ID + "\n", ID, ""),
                Arguments.of("garbage", "this is not a cgroup file\n:::\n", "", ""),
                Arguments.of("empty", "", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesEveryRuntimeAndDriver(String what, String cgroup, String containerId, String podUid) {
        assertThat(ContainerIdentity.parseCgroup(cgroup)).isEqualTo(new ContainerIdentity(containerId, podUid));
    }

    @Test
    void thisMachinesHybridCgroupFileHasNoContainer() throws Exception {
        String text = Captures.text("netns/cgroup-hybrid-host");
        assertThat(text).contains("0::/").contains("name=systemd");
        assertThat(ContainerIdentity.parseCgroup(text).isKnown()).isFalse();
    }
}
