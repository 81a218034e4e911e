package io.listenq.exporter.sample;

import java.util.Objects;

/**
 * Who a namespace belongs to, for {@code listenq_netns_info}: empty strings where unknown.
 *
 * @param name        the ip-netns name, "host" for the init namespace
 * @param pid         lowest pid inside, "" when the namespace only exists as a bind mount
 * @param comm        that process's command
 */
public record NetnsIdentity(String name, String pid, String comm, String containerId, String podUid) {
    public static final NetnsIdentity UNKNOWN = new NetnsIdentity("", "", "", "", "");

    public NetnsIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(comm, "comm");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(podUid, "podUid");
    }
}
