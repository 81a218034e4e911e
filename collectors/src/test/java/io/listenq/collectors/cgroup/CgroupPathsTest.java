package io.listenq.collectors.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On an ordinary directory tree: the walk needs only inode numbers and directory link counts, which tmpfs and ext4
 * keep the way kernfs does (2 + subdirectories). The real cgroup2 mount is exercised by OwnerIT.
 */
class CgroupPathsTest {
    @TempDir
    Path root;

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

    private long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    private Path dir(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p);
        Files.writeString(p.resolve("cgroup.procs"), ""); // interface files sit beside sub-cgroups
        return p;
    }

    @Test
    void resolvesIdsToPathsBelowTheMount() throws IOException {
        Path web = dir("system.slice/web.service");
        Path db = dir("system.slice/db.service");
        dir("user.slice");
        CgroupPaths paths = new CgroupPaths(root, clock::get);
        Map<Long, String> out = paths.resolve(Set.of(ino(web), ino(db), ino(root)));
        assertThat(out)
                .containsEntry(ino(web), "/system.slice/web.service")
                .containsEntry(ino(db), "/system.slice/db.service")
                .containsEntry(ino(root), "/");
    }

    @Test
    void anUnknownIdIsEmptyAndKeepsOnlyWhatWasAskedFor() throws IOException {
        Path a = dir("a.scope");
        Path b = dir("b.scope");
        CgroupPaths paths = new CgroupPaths(root, clock::get);
        assertThat(paths.resolve(Set.of(ino(a), ino(b), 999_999_999L)))
                .containsEntry(999_999_999L, "")
                .containsEntry(ino(a), "/a.scope");
        assertThat(paths.cachedEntries()).isEqualTo(3);
        paths.resolve(Set.of(ino(a)));
        assertThat(paths.cachedEntries()).isEqualTo(1); // bounded by the ids in use, not by the tree
    }

    @Test
    void aNewCgroupIsFoundOnAMissOnceTheWalkSpacingAllows() throws IOException {
        Path a = dir("a.scope");
        CgroupPaths paths = new CgroupPaths(root, clock::get);
        paths.resolve(Set.of(ino(a)));
        Path late = dir("late.scope");
        assertThat(paths.resolve(Set.of(ino(a), ino(late)))).containsEntry(ino(late), ""); // too soon after a walk
        clock.addAndGet(CgroupPaths.MIN_WALK_SPACING_NANOS);
        assertThat(paths.resolve(Set.of(ino(a), ino(late)))).containsEntry(ino(late), "/late.scope");
        int walked = paths.lastWalkDirectories();
        clock.addAndGet(CgroupPaths.MIN_WALK_SPACING_NANOS);
        paths.resolve(Set.of(ino(a), ino(late)));
        assertThat(paths.lastWalkDirectories()).as("cached: no walk").isEqualTo(walked);
    }

    @Test
    void aVanishedCgroupGivesAnEmptyPath() throws IOException {
        Path gone = dir("gone.scope");
        Path other = dir("other.scope"); // made first: a file system may reuse a freed inode at once
        long id = ino(gone);
        CgroupPaths paths = new CgroupPaths(root, clock::get);
        assertThat(paths.resolve(Set.of(id))).containsEntry(id, "/gone.scope");
        Files.delete(gone.resolve("cgroup.procs"));
        Files.delete(gone);
        clock.addAndGet(CgroupPaths.MIN_WALK_SPACING_NANOS);
        // still cached while in use: the path the socket was made in
        assertThat(paths.resolve(Set.of(id, ino(other)))).containsEntry(id, "/gone.scope");
        paths.resolve(Set.of(ino(other)));
        clock.addAndGet(CgroupPaths.MIN_WALK_SPACING_NANOS);
        assertThat(paths.resolve(Set.of(id))).containsEntry(id, "");
    }

    @Test
    void aMissingMountIsAnError() throws IOException {
        CgroupPaths paths = new CgroupPaths(root.resolve("nope"), clock::get);
        assertThatThrownBy(() -> paths.resolve(Set.of(5L))).isInstanceOf(NoSuchFileException.class);
        assertThat(paths.resolve(Set.of())).isEmpty();
    }
}
