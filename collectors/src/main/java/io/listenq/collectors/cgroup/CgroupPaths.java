package io.listenq.collectors.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Resolves cgroup v2 ids (inet_diag {@code INET_DIAG_CGROUP_ID}) to paths. A cgroup's id is the inode number of
 * its directory in the cgroup2 file system ({@code cgroup_id()} is the kernfs node id, which kernfs also uses as
 * the inode number: fs/kernfs/inode.c {@code kernfs_init_inode}), so a walk of the mount finds every id.
 *
 * <p>Bounded: only the ids asked for in the last {@link #resolve} are kept, so memory follows the listeners, not
 * the host's cgroups. An id not in the cache triggers a walk, but walks are spaced by at least a second and by
 * 100 times the last walk's duration (at most 1% of a core however many cgroups there are); an id still not found
 * resolves to "" (the cgroup was removed since the socket was made, or it is not under this mount).
 * Not thread-safe: one caller (the sampler thread).
 */
public final class CgroupPaths {
    static final long MIN_WALK_SPACING_NANOS = 1_000_000_000L;
    static final int WALK_COST_FACTOR = 100;

    private final Path root;
    private final LongSupplier nanoClock;
    private Map<Long, String> known = new HashMap<>();
    private final Set<Long> missing = new HashSet<>();
    private long nextWalkNanos;
    private boolean walked;
    private int lastWalkDirectories;

    /** @param root the cgroup2 mount point (see {@link Cgroup2Mount}) */
    public CgroupPaths(Path root) {
        this(root, System::nanoTime);
    }

    CgroupPaths(Path root, LongSupplier nanoClock) {
        this.root = root;
        this.nanoClock = nanoClock;
    }

    public Path root() {
        return root;
    }

    /**
     * The path of every id in {@code ids} ("" when not found); forgets every id not asked for this time.
     *
     * @throws IOException if the mount's root cannot be read (the cache is then left as it was)
     */
    public Map<Long, String> resolve(Set<Long> ids) throws IOException {
        Set<Long> unknown = new HashSet<>();
        for (Long id : ids) {
            if (!known.containsKey(id) && !(missing.contains(id) && !walkAllowed())) {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty() && walkAllowed()) {
            long start = nanoClock.getAsLong();
            Map<Long, String> found = walk(unknown);
            long end = nanoClock.getAsLong();
            nextWalkNanos = end + Math.max(MIN_WALK_SPACING_NANOS, (end - start) * WALK_COST_FACTOR);
            walked = true;
            known.putAll(found);
            missing.clear();
            for (Long id : unknown) {
                if (!found.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        Map<Long, String> out = new HashMap<>(ids.size() * 2);
        for (Long id : ids) {
            String path = known.get(id);
            out.put(id, path == null ? "" : path);
        }
        Map<Long, String> kept = new HashMap<>(out);
        kept.values().removeIf(String::isEmpty);
        known = kept;
        missing.retainAll(ids);
        return out;
    }

    /** Entries held between calls (for the memory benchmark and tests). */
    public int cachedEntries() {
        return known.size() + missing.size();
    }

    /** Directories visited by the last walk. */
    public int lastWalkDirectories() {
        return lastWalkDirectories;
    }

    private boolean walkAllowed() {
        return !walked || nanoClock.getAsLong() - nextWalkNanos >= 0;
    }

    private Map<Long, String> walk(Set<Long> wanted) throws IOException {
        Map<Long, String> found = new HashMap<>();
        lastWalkDirectories = 0;
        // the root must be readable: an unreadable mount is the caller's one problem to report
        Attrs rootAttrs = attrs(root);
        if (rootAttrs == null) {
            throw new NoSuchFileException(root.toString(), null, "cgroup2 mount vanished");
        }
        visit(root, "/", rootAttrs, wanted, found);
        return found;
    }

    private record Attrs(long inode, int links) {}

    /** Depth-first; returns false once every wanted id is found. */
    private boolean visit(Path dir, String path, Attrs a, Set<Long> wanted, Map<Long, String> found)
            throws IOException {
        lastWalkDirectories++;
        if (wanted.contains(a.inode())) {
            found.put(a.inode(), path);
            if (found.size() == wanted.size()) {
                return false;
            }
        }
        // kernfs gives a directory 2 + its number of subdirectories as link count (fs/kernfs/inode.c
        // kernfs_refresh_inode): a leaf cgroup needs no listing, and its 20-40 interface files no stat each.
        if (a.links() <= 2) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path child : entries) {
                Attrs c = attrs(child);
                if (c == null) {
                    continue; // a file, or a cgroup removed while we walked
                }
                String childPath = (path.equals("/") ? "/" : path + "/") + child.getFileName();
                if (!visit(child, childPath, c, wanted, found)) {
                    return false;
                }
            }
        } catch (NoSuchFileException e) {
            return true; // removed between stat and listing: nothing left to find there
        }
        return true;
    }

    /** Inode and link count of a directory; null for a non-directory or one that vanished. */
    private static Attrs attrs(Path p) throws IOException {
        try {
            Map<String, Object> m = Files.readAttributes(p, "unix:ino,nlink,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) m.get("mode");
            if ((mode & 0170000) != 0040000) { // S_IFMT / S_IFDIR, linux/stat.h
                return null;
            }
            return new Attrs((Long) m.get("ino"), (Integer) m.get("nlink"));
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
