package io.listenq.collectors.netns;

import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.procfs.ProcFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds network namespaces without entering them (docs/kernel.md §6): {@code stat} of every
 * {@code <proc>/<pid>/ns/net}, deduplicated on (st_dev, st_ino), plus bind mounts in directories such as
 * {@code /run/netns} ({@code ip netns}) and {@code /var/run/docker/netns}. Namespaces held only by an fd
 * or a thread of another process are invisible to this scan, as they are to {@code lsns}.
 *
 * <p>Every root is configurable so tests can point it at a fake tree. Entries that cannot be read are
 * skipped and counted by {@link ScanError} ({@link SkippedEntries}); only a procfs root that cannot be listed throws.
 * Instances are immutable; {@link #scan()} may be called from any thread (it does no {@code setns}).
 */
public final class NetnsDiscovery {

    /** Default bind-mount directories: {@code ip netns} and Docker. */
    public static final List<Path> DEFAULT_BIND_DIRS = List.of(Path.of("/run/netns"), Path.of("/var/run/docker/netns"));

    // PF_KTHREAD from include/linux/sched.h; field 9 ("flags") of /proc/<pid>/stat (fs/proc/array.c do_task_stat).
    private static final long PF_KTHREAD = 0x00200000L;
    /**
     * The initial network namespace's inode on kernels that give initial namespaces fixed inode numbers
     * (include/uapi/linux/nsfs.h NET_NS_INIT_INO, next to PROC_*_INIT_INO in include/linux/proc_ns.h); older
     * kernels allocate it from 0xF0000000 up (proc_alloc_inum), so it can never be another namespace's.
     */
    static final long NET_NS_INIT_INO = 0xEFFFFFF9L;

    private final Path procRoot;
    private final List<Path> bindDirs;

    public NetnsDiscovery(Path procRoot, List<Path> bindDirs) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.bindDirs = List.copyOf(bindDirs);
    }

    /** Discovery over {@code procRoot} and {@link #DEFAULT_BIND_DIRS}. */
    public static NetnsDiscovery withDefaultBindDirs(Path procRoot) {
        return new NetnsDiscovery(procRoot, DEFAULT_BIND_DIRS);
    }

    /** Mutable state of one scan. */
    private static final class Found {
        final NetnsId id;
        int lowestPid;
        int processes;
        String comm = "";
        ContainerIdentity identity = ContainerIdentity.UNKNOWN;
        final List<String> names = new ArrayList<>(1);
        Path firstBindPath;

        Found(NetnsId id) {
            this.id = id;
        }
    }

    public NetnsScan scan() throws IOException {
        SkippedEntries skipped = new SkippedEntries();
        Optional<NetnsId> self =
                statQuietly(procRoot.resolve("self").resolve("ns").resolve("net"));
        int[] pids = listPids();
        Map<NetnsId, Found> found = new LinkedHashMap<>();
        NetnsId pid1 = null;
        for (int pid : pids) { // ascending, so the first pid seen in a namespace is its lowest
            Path pidDir = procRoot.resolve(Integer.toString(pid));
            NetnsId id;
            Path link = pidDir.resolve("ns").resolve("net");
            try {
                id = NetnsId.of(link);
            } catch (IOException e) {
                skipped.add(link, e);
                continue;
            }
            if (pid == 1) {
                pid1 = id;
            }
            Found f = found.get(id);
            if (f == null) {
                f = new Found(id);
                f.lowestPid = pid;
                f.comm = readComm(pidDir);
                f.identity = readIdentity(pidDir);
                found.put(id, f);
            }
            f.processes++;
        }
        NetnsId init = pid1 != null ? pid1 : kernelThreadNamespace(procRoot).orElse(null);
        if (init == null) {
            init = found.keySet().stream()
                    .filter(id -> id.inode() == NET_NS_INIT_INO)
                    .findFirst()
                    .orElse(null);
        }
        // All nsfs files share one superblock (fs/nsfs.c), hence one st_dev: a bind-mount entry with
        // another device is an unmounted leftover file, not a namespace.
        Long nsfsDev = self.map(NetnsId::dev)
                .orElse(
                        found.isEmpty()
                                ? null
                                : found.keySet().iterator().next().dev());
        for (Path dir : bindDirs) {
            scanBindDir(dir, nsfsDev, found, skipped);
        }
        List<DiscoveredNetns> out = new ArrayList<>(found.size());
        for (Found f : found.values()) {
            Path open = f.firstBindPath != null
                    ? f.firstBindPath
                    : procRoot.resolve(Integer.toString(f.lowestPid))
                            .resolve("ns")
                            .resolve("net");
            out.add(new DiscoveredNetns(
                    f.id,
                    f.processes == 0 ? OptionalInt.empty() : OptionalInt.of(f.lowestPid),
                    f.comm,
                    f.processes,
                    f.names,
                    open,
                    f.id.equals(init),
                    self.map(f.id::equals).orElse(false),
                    f.identity));
        }
        out.sort(Comparator.comparing((DiscoveredNetns n) -> !n.init())
                .thenComparing(n -> n.id().inode(), Long::compareUnsigned)
                .thenComparing(n -> n.id().dev(), Long::compareUnsigned));
        return skipped.scan(out, self, pids.length);
    }

    private int[] listPids() throws IOException {
        int[] pids = new int[256];
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            for (Path entry : entries) {
                int pid = parsePid(entry.getFileName().toString());
                if (pid > 0) {
                    if (n == pids.length) {
                        pids = Arrays.copyOf(pids, n * 2);
                    }
                    pids[n++] = pid;
                }
            }
        }
        int[] sorted = Arrays.copyOf(pids, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The pid a procfs directory name stands for, or -1 (self, sys, net, ...). */
    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 10 || name.charAt(0) == '0') {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /**
     * Fallback for the initial namespace when pid 1's ns link is unreadable (seen as root in sandboxes where
     * pid 1 holds capabilities we lack): kernel threads always share init_nsproxy, and they are visible only
     * in the initial pid namespace. kthreadd is pid 2; check its PF_KTHREAD flag rather than trust the pid.
     */
    private static Optional<NetnsId> kernelThreadNamespace(Path procRoot) {
        Path dir = procRoot.resolve("2");
        try {
            String stat = ProcFile.read(dir.resolve("stat"));
            // The comm field may contain spaces and ')', so count fields after the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long flags = Long.parseUnsignedLong(rest[6]); // state ppid pgrp session tty_nr tpgid flags
            return (flags & PF_KTHREAD) != 0
                    ? Optional.of(NetnsId.of(dir.resolve("ns").resolve("net")))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no pid 2 (another pid namespace), or no access: not known this way
        }
    }

    /**
     * Whether {@code id} is the initial network namespace, as far as the caller can tell without pid 1 (which in a
     * container with its own pid namespace is the container's init): kthreadd's namespace when it is visible, or
     * the fixed inode recent kernels give the initial namespace.
     */
    public static boolean isInitial(Path procRoot, NetnsId id) {
        return id.inode() == NET_NS_INIT_INO
                || kernelThreadNamespace(procRoot).map(id::equals).orElse(false);
    }

    private void scanBindDir(Path dir, Long nsfsDev, Map<NetnsId, Found> found, SkippedEntries skipped) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return; // no Docker on this host, or no ip netns ever run: not an error
        } catch (IOException e) {
            skipped.add(dir, e);
            return;
        }
        entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path entry : entries) {
            NetnsId id;
            try {
                id = NetnsId.of(entry);
            } catch (IOException e) {
                skipped.add(entry, e);
                continue;
            }
            if (nsfsDev != null && id.dev() != nsfsDev) {
                skipped.add(ScanError.NOT_A_NAMESPACE, entry);
                continue;
            }
            Found f = found.computeIfAbsent(id, Found::new);
            f.names.add(entry.getFileName().toString());
            if (f.firstBindPath == null) {
                f.firstBindPath = entry;
            }
        }
    }

    private static Optional<NetnsId> statQuietly(Path nsFile) {
        try {
            return Optional.of(NetnsId.of(nsFile));
        } catch (IOException e) {
            return Optional.empty(); // a fake root without "self", or no access: self is then unknown
        }
    }

    private static String readComm(Path pidDir) {
        try {
            return ProcFile.read(pidDir.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // exited after the stat: keep the namespace, lose the decoration
        }
    }

    private static ContainerIdentity readIdentity(Path pidDir) {
        try {
            return ContainerIdentity.parseCgroup(ProcFile.read(pidDir.resolve("cgroup")));
        } catch (IOException e) {
            return ContainerIdentity.UNKNOWN;
        }
    }
}
