package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.testing.ListenerSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners with a fake procfs (no cgroup2 mount, a mount that is gone, a directory tree standing in for one), and
 * with a fake resolver: incremental rounds against resolving each round from scratch, and what a round costs.
 */
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

    /** Resolves from {@link #paths} as a walk of a mount would; records what it was asked; throws while down. */
    private static final class World implements Owners.Resolver {
        final Map<Long, String> paths = new HashMap<>();
        final List<Set<Long>> asked = new ArrayList<>();
        boolean down;

        @Override
        public Map<Long, String> resolve(Set<Long> ids) throws IOException {
            asked.add(Set.copyOf(ids));
            if (down) {
                throw new NoSuchFileException("/cg", null, "cgroup2 mount vanished");
            }
            return lookup(ids);
        }

        Map<Long, String> lookup(Set<Long> ids) {
            Map<Long, String> out = new HashMap<>();
            ids.forEach(id -> out.put(id, paths.getOrDefault(id, "")));
            return out;
        }
    }

    private static NamespaceSample namespace(String netns, Random rnd, long... ids) {
        List<ListenerSample> listeners = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ListenerSamples l = ListenerSamples.listener(netns, "ipv4", "0.0.0.0", Integer.toString(8000 + i))
                    .acceptQueue(rnd.nextInt(3));
            listeners.add((ids[i] == 0 ? l : l.cgroupId(ids[i])).build()); // 0: the kernel gave no cgroup id
        }
        return new NamespaceSample(netns, NetnsIdentity.UNKNOWN, Map.of(), Map.of(), listeners);
    }

    /**
     * Many random rounds: namespaces kept (the same object), changed, appearing and vanishing, ids shared between
     * them, listeners leaving, ids that resolve only rounds later, a mount that fails now and then. Each round
     * must give what an Owners resolving that round from scratch gives, ask only for ids it does not hold, and
     * hand back the last map and owners themselves where nothing changed.
     */
    @Test
    void incrementalRoundsGiveWhatResolvingFromScratchGives() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            World world = new World();
            Owners owners = new Owners(world, "fake");
            Map<String, NamespaceSample> live = new HashMap<>();
            List<NamespaceSample> list = List.of();
            Map<Long, ListenerOwner> good = Map.of();
            Set<Long> held = new HashSet<>();
            for (int round = 0; round < 300; round++) {
                long base = 1000L + round / 25; // new cgroups come, old ones fall out of use
                if (rnd.nextInt(4) == 0) { // a cgroup that was not found appears (made since the walk, say)
                    world.paths.putIfAbsent(base + rnd.nextInt(12), "/system.slice/s" + round + ".service");
                }
                world.down = rnd.nextInt(12) == 0;
                boolean sameList = rnd.nextInt(6) == 0;
                if (!sameList) {
                    for (int n = 0; n < 6; n++) {
                        String netns = "ns" + n;
                        int r = rnd.nextInt(20);
                        if (live.containsKey(netns) ? r < 2 : r < 14) {
                            live.remove(netns);
                        } else if (!live.containsKey(netns) || r < 9) {
                            long[] ids = new long[rnd.nextInt(5)];
                            for (int i = 0; i < ids.length; i++) {
                                ids[i] = rnd.nextInt(4) == 0 ? 0 : base + rnd.nextInt(12);
                            }
                            live.put(netns, namespace(netns, rnd, ids));
                        }
                    }
                    List<NamespaceSample> next = new ArrayList<>(live.values());
                    Collections.shuffle(next, rnd);
                    list = next;
                }
                Set<Long> carried = new HashSet<>();
                list.forEach(ns -> ns.listeners().forEach(l -> l.cgroupId().ifPresent(carried::add)));
                held.retainAll(carried);
                Set<Long> toAsk = new HashSet<>(carried);
                toAsk.removeAll(held);
                world.asked.clear();
                RoundStats stats = new RoundStats();
                Map<Long, ListenerOwner> got = owners.resolve(list, new Execution(stats, problems));
                Map<Long, ListenerOwner> fresh =
                        new Owners(world::lookup, "fake").resolve(list, new Execution(new RoundStats(), problems));
                String at = "seed " + seed + " round " + round;
                assertThat(world.asked).as(at).isEqualTo(toAsk.isEmpty() ? List.of() : List.of(toAsk));
                if (world.down && !toAsk.isEmpty()) {
                    assertThat(got).as(at).isEmpty();
                    assertThat(success(stats)).as(at).isFalse();
                    continue;
                }
                assertThat(got).as(at).isEqualTo(fresh);
                assertThat(success(stats)).as(at).isTrue();
                if (got.equals(good)) {
                    assertThat(got).as(at + ": unchanged, the last map itself").isSameAs(good);
                }
                for (Map.Entry<Long, ListenerOwner> e : got.entrySet()) {
                    if (good.containsKey(e.getKey())) {
                        assertThat(e.getValue()).as(at).isSameAs(good.get(e.getKey()));
                    }
                }
                if (sameList && toAsk.isEmpty() && round > 0) {
                    assertThat(stats.ran()).as(at + ": an idle round is reused").doesNotContain("listener_owners");
                }
                good = got;
                held = new HashSet<>(got.keySet());
            }
        }
    }

    /**
     * What a round reads: Owners counts the listeners it walks (a counting list cannot be slipped in, the
     * NamespaceSample record copies its list), and the fake counts what it is asked.
     */
    @Test
    void anUnchangedNamespaceCostsNoWalkOfItsListeners() throws Exception {
        Random rnd = new Random(1);
        World world = new World();
        List<NamespaceSample> first = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            world.paths.put(1000L + n, "/kubepods.slice/pod" + n + ".slice");
            first.add(namespace("ns" + n, rnd, 1000L + n, 1000L + n, 1000L + n, 1000L + n, 1000L + n, 1000L + n));
        }
        world.paths.put(5000L, "/system.slice/moved.service");
        Owners owners = new Owners(world, "fake");
        Map<Long, ListenerOwner> m1 = owners.resolve(first, new Execution(new RoundStats(), problems));
        assertThat(owners.listenersRead()).isEqualTo(600);
        assertThat(m1).hasSize(100);

        List<NamespaceSample> second = new ArrayList<>(first);
        second.set(42, namespace("ns42", rnd, 1000L + 42, 1000L + 42, 1000L + 42, 1000L + 42, 1000L + 42, 1042L));
        world.asked.clear();
        assertThat(owners.resolve(second, new Execution(new RoundStats(), problems)))
                .as("one namespace changed, its ids did not")
                .isSameAs(m1);
        assertThat(owners.listenersRead())
                .as("only the changed namespace is read")
                .isEqualTo(6);
        assertThat(world.asked).isEmpty();

        List<NamespaceSample> third = new ArrayList<>(second);
        third.set(42, namespace("ns42", rnd, 5000L, 1042L));
        third.remove(7);
        Map<Long, ListenerOwner> m3 = owners.resolve(third, new Execution(new RoundStats(), problems));
        assertThat(owners.listenersRead()).isEqualTo(2);
        assertThat(world.asked).as("only the new id").containsExactly(Set.of(5000L));
        assertThat(m3).hasSize(100).containsKey(5000L).doesNotContainKey(1007L);
        assertThat(m3.get(1042L)).isSameAs(m1.get(1042L));

        world.asked.clear();
        RoundStats idle = new RoundStats();
        assertThat(owners.resolve(third, new Execution(idle, problems))).isSameAs(m3);
        assertThat(owners.listenersRead()).as("the same list: nothing read").isZero();
        assertThat(world.asked).isEmpty();
        assertThat(idle.ran()).doesNotContain(CollectorName.LISTENER_OWNERS.label());
    }
}
