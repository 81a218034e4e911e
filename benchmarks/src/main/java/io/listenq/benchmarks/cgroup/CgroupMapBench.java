package io.listenq.benchmarks.cgroup;

import io.listenq.collectors.cgroup.Cgroup2Mount;
import io.listenq.collectors.cgroup.CgroupPaths;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cgroup id -> path map with many cgroups (root: it makes them): N cgroups as 100 parents of N/100 children under
 * {@code <cgroup2 mount>/lq-b-cgroups}, one listener id per cgroup asked for. Prints the first walk's time, a cached
 * resolve's time, the walk a single unknown id costs, and the heap the map retains; removes every cgroup it made.
 *
 * <pre>java -cp benchmarks/target/listenq-benchmarks.jar io.listenq.benchmarks.cgroup.CgroupMapBench [N]</pre>
 */
public final class CgroupMapBench {
    private CgroupMapBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path mount = Cgroup2Mount.find(Path.of("/proc")).orElseThrow(() -> new IOException("no cgroup2 mount"));
        Path top = mount.resolve("lq-b-cgroups");
        List<Path> made = new ArrayList<>();
        try {
            Files.createDirectory(top);
            made.add(top);
            Set<Long> ids = new HashSet<>();
            for (int p = 0; p < 100; p++) {
                Path parent = Files.createDirectory(top.resolve("p" + p + ".slice"));
                made.add(parent);
                for (int c = 0; c < n / 100; c++) {
                    Path child = Files.createDirectory(parent.resolve("c" + c + ".scope"));
                    made.add(child);
                    ids.add((Long) Files.getAttribute(child, "unix:ino"));
                }
            }
            long heapBefore = liveHeap();
            CgroupPaths paths = new CgroupPaths(mount);
            long t = System.nanoTime();
            paths.resolve(ids);
            double firstMs = (System.nanoTime() - t) / 1e6;
            long heapAfter = liveHeap();
            t = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                paths.resolve(ids);
            }
            double cachedMs = (System.nanoTime() - t) / 1e6 / 10;
            Thread.sleep(Math.max(1_000, (long) (firstMs * 100)) + 100); // past the walk spacing
            Set<Long> withMiss = new HashSet<>(ids);
            withMiss.add(Long.MAX_VALUE); // an id no cgroup has: a full walk that finds nothing
            t = System.nanoTime();
            paths.resolve(withMiss);
            double missMs = (System.nanoTime() - t) / 1e6;
            System.out.printf(
                    "| %,d cgroups | first walk and resolve: %.1f ms (%,d directories) | cached resolve of "
                            + "%,d ids: %.2f ms | one unknown id: %.1f ms | retained heap: %.2f MiB (%d entries) |%n",
                    made.size(),
                    firstMs,
                    paths.lastWalkDirectories(),
                    ids.size(),
                    cachedMs,
                    missMs,
                    (heapAfter - heapBefore) / 1048576.0,
                    paths.cachedEntries());
            if (paths.cachedEntries() != withMiss.size()) {
                throw new IllegalStateException("cache holds " + paths.cachedEntries() + " entries");
            }
        } finally {
            for (int i = made.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(made.get(i));
            }
        }
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
