package io.listenq.collectors.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenerOwnerTest {
    private static final String ID = "3f4e8c1a9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    private static final String UID = "8a5c2e1f-7b3d-4c6a-9e0f-1d2c3b4a5f6e";

    @Test
    void aSystemdServiceIsItsUnit() {
        ListenerOwner o = ListenerOwner.ofPath("/system.slice/nginx.service");
        assertThat(o).isEqualTo(new ListenerOwner("/system.slice/nginx.service", "nginx.service", "", ""));
        assertThat(o.shortName()).isEqualTo("nginx.service");
    }

    @Test
    void theInnermostUnitWins() {
        assertThat(ListenerOwner.ofPath("/user.slice/user-1000.slice/user@1000.service/app.slice/web.socket")
                        .unit())
                .isEqualTo("web.socket");
        assertThat(ListenerOwner.ofPath("/system.slice/foo.service/payload").unit())
                .isEqualTo("foo.service");
        assertThat(ListenerOwner.ofPath("/lq-test.scope").unit()).isEqualTo("lq-test.scope");
    }

    @Test
    void aKubernetesContainerHasUnitContainerAndPod() {
        String path = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID.replace('-', '_')
                + ".slice/cri-containerd-" + ID + ".scope";
        ListenerOwner o = ListenerOwner.ofPath(path);
        assertThat(o.unit()).isEqualTo("cri-containerd-" + ID + ".scope");
        assertThat(o.containerId()).isEqualTo(ID);
        assertThat(o.podUid()).isEqualTo(UID);
        assertThat(o.shortName()).isEqualTo("container:" + ID.substring(0, 12));
    }

    @Test
    void rootAndUnknown() {
        assertThat(ListenerOwner.ofPath("/")).isEqualTo(new ListenerOwner("/", "", "", ""));
        assertThat(ListenerOwner.ofPath("/").shortName()).isEqualTo("/");
        assertThat(ListenerOwner.ofPath("")).isSameAs(ListenerOwner.UNKNOWN);
        assertThat(ListenerOwner.UNKNOWN.isKnown()).isFalse();
        assertThat(ListenerOwner.UNKNOWN.shortName()).isEmpty();
    }
}
