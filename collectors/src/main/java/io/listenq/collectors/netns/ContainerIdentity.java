package io.listenq.collectors.netns;

import java.util.Objects;

/**
 * Which container (and Kubernetes pod) a process belongs to, read from its cgroup path.
 *
 * <p>Input is the text of {@code /proc/<pid>/cgroup} ({@code proc_cgroup_show} in
 * {@code kernel/cgroup/cgroup.c}): lines {@code hierarchy-id:controllers:path}; cgroup v2 is the single
 * line {@code 0::path}. On hybrid hosts the v2 line is often just {@code /} and the identity lives in
 * the v1 lines, so the v2 line is tried first, then {@code name=systemd}, then every other line.
 *
 * <p>Recognised paths (docs/kernel.md §6), the innermost matching component wins:
 * <ul>
 *   <li>Docker, systemd driver: {@code /system.slice/docker-<64hex>.scope}; cgroupfs: {@code /docker/<64hex>}</li>
 *   <li>Kubernetes, systemd driver: {@code /kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid>.slice/
 *       cri-containerd-<64hex>.scope} or {@code crio-<64hex>.scope}; guaranteed pods lack the qos level
 *       ({@code kubepods-pod<uid>.slice}); the uid has {@code _} for {@code -} (systemd unit-name escaping)
 *       and is converted back</li>
 *   <li>Kubernetes, cgroupfs driver: {@code /kubepods/<qos>/pod<uid>/<64hex>}, {@code /kubepods/pod<uid>/<64hex>}</li>
 *   <li>Podman: {@code /machine.slice/libpod-<64hex>.scope}; cgroupfs manager (no systemd):
 *       {@code /libpod_parent/libpod-<64hex>}</li>
 * </ul>
 * {@code libpod-conmon-<id>.scope} and {@code crio-conmon-<id>.scope} hold the runtime's monitor process
 * ({@code conmon}), which lives in the host's namespace, not the container's: they yield no container id.
 * Garbage yields {@link #UNKNOWN}, never an exception: identity is decoration, not data.
 *
 * @param containerId 64 lowercase hex digits, or "" when unknown
 * @param podUid Kubernetes pod UID with dashes (a UUID, or a 32-hex static-pod hash), or "" when unknown
 */
public record ContainerIdentity(String containerId, String podUid) {

    public static final ContainerIdentity UNKNOWN = new ContainerIdentity("", "");

    public ContainerIdentity {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(podUid, "podUid");
    }

    public boolean isKnown() {
        return !containerId.isEmpty() || !podUid.isEmpty();
    }

    /** Parses the text of {@code /proc/<pid>/cgroup}. */
    public static ContainerIdentity parseCgroup(String text) {
        String[] lines = text.split("\n");
        // Pass 0: the v2 line; pass 1: name=systemd; pass 2: any other line.
        for (int pass = 0; pass < 3; pass++) {
            for (String line : lines) {
                int c1 = line.indexOf(':');
                int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
                if (c2 < 0) {
                    continue;
                }
                boolean v2 = line.startsWith("0::");
                boolean systemd = line.substring(c1 + 1, c2).equals("name=systemd");
                boolean wanted = switch (pass) {
                    case 0 -> v2;
                    case 1 -> systemd;
                    default -> !v2 && !systemd;
                };
                if (wanted) {
                    ContainerIdentity id = parsePath(line.substring(c2 + 1));
                    if (id.isKnown()) {
                        return id;
                    }
                }
            }
        }
        return UNKNOWN;
    }

    /** Parses one cgroup path such as {@code /system.slice/docker-<id>.scope}. */
    public static ContainerIdentity parsePath(String path) {
        String p = path.strip();
        if (p.endsWith(" (deleted)")) { // cgroup_path_ns output for a removed cgroup
            p = p.substring(0, p.length() - " (deleted)".length());
        }
        String container = "";
        String pod = "";
        for (String part : p.split("/")) {
            String id = containerIdOf(part);
            if (!id.isEmpty()) {
                container = id;
            }
            String uid = podUidOf(part);
            if (!uid.isEmpty()) {
                pod = uid;
            }
        }
        return new ContainerIdentity(container, pod);
    }

    private static String containerIdOf(String part) {
        if (isHex64(part)) {
            return part; // cgroupfs drivers: /docker/<id>, /kubepods/.../pod<uid>/<id>
        }
        if (part.startsWith("libpod-") && isHex64(part.substring("libpod-".length()))) {
            return part.substring("libpod-".length()); // podman's cgroupfs manager: /libpod_parent/libpod-<id>
        }
        if (!part.endsWith(".scope") || part.contains("-conmon-")) {
            return "";
        }
        String unit = part.substring(0, part.length() - ".scope".length());
        for (String runtime : new String[] {"docker-", "cri-containerd-", "crio-", "libpod-"}) {
            if (unit.startsWith(runtime) && isHex64(unit.substring(runtime.length()))) {
                return unit.substring(runtime.length());
            }
        }
        return "";
    }

    private static String podUidOf(String part) {
        String uid;
        if (part.startsWith("pod")) {
            uid = part.substring(3); // cgroupfs: pod<uid>
        } else if (part.startsWith("kubepods-") && part.endsWith(".slice")) {
            int at = part.lastIndexOf("-pod"); // kubepods[-<qos>]-pod<uid_>.slice
            if (at < 0) {
                return "";
            }
            uid = part.substring(at + 4, part.length() - ".slice".length());
        } else {
            return "";
        }
        uid = uid.replace('_', '-');
        return isPodUid(uid) ? uid : "";
    }

    private static boolean isHex64(String s) {
        return s.length() == 64 && isHex(s, false);
    }

    /** A UUID 8-4-4-4-12 or, for static pods, the 32-hex hash the kubelet uses as UID. */
    private static boolean isPodUid(String s) {
        if (s.length() == 32) {
            return isHex(s, false);
        }
        return s.length() == 36
                && s.charAt(8) == '-'
                && s.charAt(13) == '-'
                && s.charAt(18) == '-'
                && s.charAt(23) == '-'
                && isHex(s, true);
    }

    private static boolean isHex(String s, boolean dashes) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex && !(dashes && c == '-')) {
                return false;
            }
        }
        return true;
    }
}
