package io.listenq.collectors.cgroup;

import io.listenq.collectors.netns.ContainerIdentity;
import java.util.Objects;

/**
 * Who created a listening socket, from its cgroup v2 path (inet_diag {@code INET_DIAG_CGROUP_ID}, fixed when the
 * socket was created): the path itself, the systemd unit it belongs to and the container and pod it is part of.
 * Empty strings where unknown (a cgroup removed since, no cgroup2 mount, a unix socket).
 *
 * @param cgroup      path below the cgroup2 mount, {@code /} for the root, as {@code ss --cgroup} prints it
 * @param unit        the innermost {@code .service}, {@code .scope} or {@code .socket} element of the path
 * @param containerId as {@link ContainerIdentity#parsePath} finds it
 * @param podUid      as {@link ContainerIdentity#parsePath} finds it
 */
public record ListenerOwner(String cgroup, String unit, String containerId, String podUid) {
    public static final ListenerOwner UNKNOWN = new ListenerOwner("", "", "", "");

    public ListenerOwner {
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(podUid, "podUid");
    }

    /** The owner named by a cgroup path such as {@code /system.slice/nginx.service}. */
    public static ListenerOwner ofPath(String path) {
        if (path.isEmpty()) {
            return UNKNOWN;
        }
        ContainerIdentity id = ContainerIdentity.parsePath(path);
        return new ListenerOwner(path, unitOf(path), id.containerId(), id.podUid());
    }

    public boolean isKnown() {
        return !cgroup.isEmpty();
    }

    /** What a person calls the owner: the container, else the unit, else the cgroup path ("" when unknown). */
    public String shortName() {
        if (!containerId.isEmpty()) {
            return "container:" + containerId.substring(0, Math.min(12, containerId.length()));
        }
        return unit.isEmpty() ? cgroup : unit;
    }

    static String unitOf(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String p = parts[i];
            if (p.endsWith(".service") || p.endsWith(".scope") || p.endsWith(".socket")) {
                return p;
            }
        }
        return "";
    }
}
