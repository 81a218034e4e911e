package io.listenq.exporter.drill;

import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netns.DiscoveredNetns;
import io.listenq.collectors.netns.NetnsDiscovery;
import io.listenq.collectors.netns.NetnsScan;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The namespace a drill runs in, resolved from {@code --netns} the way the exporter names namespaces: an
 * {@code ip netns} name, the inode the {@code netns} label shows, or a pid inside it.
 *
 * @param file the namespace file to open for {@code setns}; empty for the drill's own namespace
 * @param id the namespace's identity ({@code netns} label: its inode)
 * @param name its {@code ip netns} name, {@code host} for the initial namespace, else ""
 */
record DrillTarget(Optional<Path> file, NetnsId id, String name) {

    // PID_MAX_LIMIT (include/linux/threads.h) is 4194304 on 64-bit; nsfs inodes start at 0xF0000000
    // (PROC_DYNAMIC_FIRST, fs/proc/generic.c): a number above the first is an inode, never a pid.
    private static final long PID_MAX_LIMIT = 4_194_304L;

    /** One line for the user: {@code 4026532315 (lq-demo)} or {@code 4026531840 (host)}. */
    String describe() {
        return name.isEmpty() ? id.inodeText() : id.inodeText() + " (" + name + ")";
    }

    /** @throws IOException with a one-line message saying what was not found or not allowed */
    static DrillTarget resolve(Optional<String> spec, Path procfs, Path pathNetns) throws IOException {
        if (spec.isEmpty()) {
            NetnsId self = stat(procfs.resolve("thread-self/ns/net"), "the drill's own namespace");
            return new DrillTarget(Optional.empty(), self, nameOf(self, procfs, pathNetns));
        }
        String value = spec.get();
        if (!value.chars().allMatch(Character::isDigit)) {
            Path file = pathNetns.resolve(value);
            return new DrillTarget(Optional.of(file), stat(file, "namespace '" + value + "'"), value);
        }
        long number = Long.parseLong(value);
        if (number <= PID_MAX_LIMIT) {
            Path file = procfs.resolve(value).resolve("ns/net");
            NetnsId id = stat(file, "process " + value + "'s namespace");
            return new DrillTarget(Optional.of(file), id, nameOf(id, procfs, pathNetns));
        }
        for (DiscoveredNetns ns : scan(procfs, pathNetns).namespaces()) {
            if (ns.id().inodeText().equals(value)) {
                return new DrillTarget(Optional.of(ns.openPath()), ns.id(), ns.name());
            }
        }
        throw new IOException("no network namespace with inode " + value + " was found (processes under " + procfs
                + " and bind mounts under " + pathNetns + ")");
    }

    private static NetnsScan scan(Path procfs, Path pathNetns) throws IOException {
        List<Path> bindDirs = List.of(pathNetns, NetnsDiscovery.DEFAULT_BIND_DIRS.getLast());
        return new NetnsDiscovery(procfs, bindDirs).scan();
    }

    /** The name discovery gives the namespace, or "" when it cannot tell (names are for display only). */
    private static String nameOf(NetnsId id, Path procfs, Path pathNetns) {
        try {
            return scan(procfs, pathNetns).find(id).map(DiscoveredNetns::name).orElse("");
        } catch (IOException e) {
            return ""; // the drill works without a display name
        }
    }

    private static NetnsId stat(Path file, String what) throws IOException {
        try {
            return NetnsId.of(file);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " not found: " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new IOException(what + ": " + file + " is not readable (needs CAP_SYS_PTRACE for another"
                    + " process's namespace)");
        }
    }
}
