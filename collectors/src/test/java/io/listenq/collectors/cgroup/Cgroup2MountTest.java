package io.listenq.collectors.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Cgroup2MountTest {
    /** Lines from this project's machines (hybrid: cgroup v1 controllers, cgroup2 at /sys/fs/cgroup/unified). */
    private static final String HYBRID = """
            23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void hybridHostMountsCgroup2BesideTheV1Controllers() {
        assertThat(Cgroup2Mount.parse(HYBRID)).contains(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void unifiedHostWithOptionalFields() {
        String unified = "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 master:2 - cgroup2 "
                + "cgroup2 rw,nsdelegate,memory_recursiveprot\n";
        assertThat(Cgroup2Mount.parse(unified)).contains(Path.of("/sys/fs/cgroup"));
    }

    @Test
    void theHierarchyRootWinsOverABindMountedSubtree() {
        String text = "50 31 0:38 /kubepods.slice /host/cg rw - cgroup2 cgroup2 rw\n"
                + "51 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        assertThat(Cgroup2Mount.parse(text)).contains(Path.of("/sys/fs/cgroup"));
        assertThat(Cgroup2Mount.parse("50 31 0:38 /kubepods.slice /host/cg rw - cgroup2 cgroup2 rw\n"))
                .contains(Path.of("/host/cg"));
    }

    @Test
    void octalEscapesInTheMountPointAreDecoded() {
        assertThat(Cgroup2Mount.parse("41 31 0:38 / /mnt/my\\040cgroups rw - cgroup2 none rw\n"))
                .contains(Path.of("/mnt/my cgroups"));
        assertThat(Cgroup2Mount.unescape("a\\134b\\011c\\9")).isEqualTo("a\\b\tc\\9");
    }

    @Test
    void noCgroup2OrGarbageGivesNothing() {
        assertThat(Cgroup2Mount.parse(HYBRID.replace("cgroup2 cgroup2", "tmpfs tmpfs")))
                .isEmpty();
        assertThat(Cgroup2Mount.parse("")).isEmpty();
        assertThat(Cgroup2Mount.parse("garbage\n1 2 3\n- cgroup2\n")).isEmpty();
    }
}
