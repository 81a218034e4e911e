package io.listenq.collectors.netns;

/** Why {@link NetnsDiscovery} skipped an entry; {@link #label()} is the {@code reason} label value. */
public enum ScanError {
    /** The process exited (or the bind mount was removed) between listing and stat: normal churn. */
    VANISHED("vanished"),
    /** EACCES: ptrace read access to {@code /proc/<pid>/ns/net} denied (no CAP_SYS_PTRACE, LSM, Yama). */
    ACCESS_DENIED("eacces"),
    /** EPERM. */
    NOT_PERMITTED("eperm"),
    /** A file in a bind-mount directory that is not an nsfs file (a stale {@code ip netns} entry). */
    NOT_A_NAMESPACE("not_a_namespace"),
    /** Any other I/O error. */
    IO("io");

    private final String label;

    ScanError(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
