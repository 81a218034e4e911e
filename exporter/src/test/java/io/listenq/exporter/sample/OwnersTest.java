package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.testing.ListenerSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owners with a fake procfs: no cgroup2 mount, a mount that is gone, and a directory tree standing in for one. */
class OwnersTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final ProblemLog problems = new ProblemLog(warnings::add, line -> {});

    private Path procfs(String mountinfo) throws Exception {
        Path self = Files.createDirectories(dir.resolve("proc/self"));
        Files.writeString(self.resolve("mountinfo"), mountinfo);
        return dir.resolve("proc");
    }

    private static List<NamespaceSample> listenerIn(long cgroupId) {
        return namespaceWith(tcp80().cgroupId(cgroupId).build());
    }

    /** A listener whose reply had no INET_DIAG_CGROUP_ID. */
    private static List<NamespaceSample> listenerWithoutCgroupId() {
        return namespaceWith(tcp80().build());
    }

    private static ListenerSamples tcp80() {
        return ListenerSamples.listener("4026531840", "ipv4", "0.0.0.0", "80");
    }

    private static List<NamespaceSample> namespaceWith(ListenerSample l) {
        return List.of(new NamespaceSample("4026531840", NetnsIdentity.UNKNOWN, Map.of(), Map.of(), List.of(l)));
    }

    private static boolean success(RoundStats stats) {
        return stats.results().stream()
                .filter(c -> c.name().equals(CollectorName.LISTENER_OWNERS.label()))
                .findFirst()
                .orElseThrow()
                .success();
    }

    @Test
    void noCgroup2MountLeavesOwnersEmptyAndTheCollectorFailed() throws Exception {
        Owners owners = Owners.create(procfs("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"));
        RoundStats stats = new RoundStats();
        assertThat(owners.resolve(listenerIn(5), new Execution(stats, problems)))
                .isEmpty();
        assertThat(success(stats)).isFalse();
        assertThat(warnings).isEmpty(); // said once at start, by the logger, not every round
    }

    @Test
    void aMountThatVanishedIsOneProblemLineNotOnePerRound() throws Exception {
        Owners owners = Owners.create(procfs("41 31 0:38 / " + dir.resolve("gone") + " rw - cgroup2 cgroup2 rw\n"));
        for (int round = 0; round < 3; round++) {
            RoundStats stats = new RoundStats();
            assertThat(owners.resolve(listenerIn(5), new Execution(stats, problems)))
                    .isEmpty();
            assertThat(success(stats)).isFalse();
            problems.endRound(stats.ran());
        }
        assertThat(warnings)
                .hasSize(1)
                .first()
                .asString()
                .contains("listener_owners")
                .contains("gone");
    }

    @Test
    void resolvesAndReusesOwners() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("cg/system.slice/web.service"));
        long id = (Long) Files.getAttribute(mount, "unix:ino");
        Owners owners = Owners.create(procfs("41 31 0:38 / " + dir.resolve("cg") + " rw - cgroup2 cgroup2 rw\n"));
        RoundStats stats = new RoundStats();
        Map<Long, ListenerOwner> first = owners.resolve(listenerIn(id), new Execution(stats, problems));
        assertThat(first).containsEntry(id, ListenerOwner.ofPath("/system.slice/web.service"));
        assertThat(success(stats)).isTrue();
        assertThat(owners.resolve(listenerIn(id), new Execution(new RoundStats(), problems)))
                .as("unchanged: same map")
                .isSameAs(first);
        List<NamespaceSample> idle = listenerIn(id);
        owners.resolve(idle, new Execution(new RoundStats(), problems));
        RoundStats again = new RoundStats();
        assertThat(owners.resolve(idle, new Execution(again, problems))).isSameAs(first);
        assertThat(again.ran())
                .as("same namespace objects: nothing resolved again")
                .doesNotContain(CollectorName.LISTENER_OWNERS.label());
        assertThat(success(again)).isTrue();
        RoundStats changed = new RoundStats();
        owners.resolve(listenerIn(id), new Execution(changed, problems));
        assertThat(changed.ran()).contains(CollectorName.LISTENER_OWNERS.label());
        assertThat(owners.resolve(listenerWithoutCgroupId(), new Execution(new RoundStats(), problems)))
                .as("no cgroup id: nothing")
                .isEmpty();
    }
}
