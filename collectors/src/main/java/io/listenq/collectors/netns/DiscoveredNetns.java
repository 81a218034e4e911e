package io.listenq.collectors.netns;

import io.listenq.collectors.linux.NetnsId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One network namespace found by {@link NetnsDiscovery}.
 *
 * @param id (dev, inode) of the namespace
 * @param lowestPid the lowest pid inside it; empty when it is only held by a bind mount
 * @param comm {@code /proc/<lowestPid>/comm}, "" when there is no pid or it could not be read
 * @param processes how many of the scanned processes are inside it
 * @param names bind-mount names pointing at it ({@code ip netns} names first, then Docker's), sorted per directory
 * @param openPath what to open for {@code setns}: a bind mount if any (no ptrace check needed), else
 *     {@code <proc>/<lowestPid>/ns/net}
 * @param init whether it is the initial namespace (that of pid 1, or of a kernel thread when pid 1 is unreadable)
 * @param self whether it is the namespace the scanning process itself lives in
 * @param identity container / pod of {@code lowestPid}, from its cgroup
 */
public record DiscoveredNetns(
        NetnsId id,
        OptionalInt lowestPid,
        String comm,
        int processes,
        List<String> names,
        Path openPath,
        boolean init,
        boolean self,
        ContainerIdentity identity) {

    /** The {@code name} given to the initial namespace. */
    public static final String HOST = "host";

    public DiscoveredNetns {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lowestPid, "lowestPid");
        Objects.requireNonNull(comm, "comm");
        names = List.copyOf(names);
        Objects.requireNonNull(openPath, "openPath");
        Objects.requireNonNull(identity, "identity");
        if (processes < 0 || (processes == 0) != lowestPid.isEmpty()) {
            throw new IllegalArgumentException("processes " + processes + " with lowestPid " + lowestPid);
        }
        if (processes == 0 && names.isEmpty()) {
            throw new IllegalArgumentException(id + " has neither a process nor a bind mount");
        }
    }

    /** Display name: {@value #HOST} for the initial namespace, else its first bind-mount name, else "". */
    public String name() {
        if (init) {
            return HOST;
        }
        return names.isEmpty() ? "" : names.getFirst();
    }
}
