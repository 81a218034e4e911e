package io.listenq.exporter.sample;

import io.listenq.collectors.netns.ScanError;

/**
 * Why a namespace could not be discovered, opened or entered: the {@code reason} label of
 * {@code listenq_netns_errors_total}. Decided by errno wherever it happens (the scan's stat, the open of the
 * namespace file, setns), so the same errno is the same reason; each reason is logged once with what to do.
 */
enum NetnsError {
    /**
     * EACCES or EPERM: opening another process's /proc/PID/ns/net needs ptrace read access
     * (proc_ns_get_link, ptrace_may_access: CAP_SYS_PTRACE, or a process whose capabilities are a subset of ours);
     * setns needs CAP_SYS_ADMIN over the namespace's user namespace (netns_install).
     */
    PERMISSION(
            "permission",
            "give the exporter CAP_SYS_ADMIN and CAP_SYS_PTRACE (docs/deployment.md), "
                    + "or leave such namespaces out with --netns.exclude"),
    /** ENOENT or ESRCH: the process exited or the bind mount was removed between discovery and use. */
    VANISHED("vanished", "nothing: namespaces that go away between discovery and use are normal churn"),
    /** The pid discovery saw now lives in another namespace: the process exited and its pid was reused. */
    PID_REUSED("pid_reused", "nothing: the namespace is found again under another pid at the next refresh"),
    /** A bind-mount file that is not a network namespace (EINVAL from setns, or not on nsfs). */
    NOT_A_NAMESPACE(
            "not_a_namespace",
            "remove the stale file from the bind-mount directory, "
                    + "or point --path.netns / --path.docker-netns elsewhere"),
    /** Any other errno: the log line names it. */
    OTHER("other", "see the error in the log line");

    private final String label;
    private final String remedy;

    NetnsError(String label, String remedy) {
        this.label = label;
        this.remedy = remedy;
    }

    String label() {
        return label;
    }

    /** What an operator can do about it, for the one log line per reason. */
    String remedy() {
        return remedy;
    }

    /** errno values from include/uapi/asm-generic/errno-base.h. */
    static NetnsError ofErrno(int errno) {
        return switch (errno) {
            case 1, 13 -> PERMISSION; // EPERM, EACCES
            case 2, 3 -> VANISHED; // ENOENT, ESRCH
            case 22 -> NOT_A_NAMESPACE; // EINVAL: setns(fd, CLONE_NEWNET) on an fd of another namespace type
            default -> OTHER;
        };
    }

    static NetnsError of(ScanError e) {
        return switch (e) {
            case ACCESS_DENIED, NOT_PERMITTED -> PERMISSION;
            case VANISHED -> VANISHED;
            case NOT_A_NAMESPACE -> NOT_A_NAMESPACE;
            case IO -> OTHER;
        };
    }
}
