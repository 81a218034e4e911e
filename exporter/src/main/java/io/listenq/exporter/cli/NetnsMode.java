package io.listenq.exporter.cli;

/** Which network namespaces the exporter samples ({@code --netns}). */
public enum NetnsMode {
    /** Every namespace when CAP_SYS_ADMIN and CAP_SYS_PTRACE are effective, otherwise the exporter's own. */
    AUTO,
    /** Every namespace; fails loudly (per namespace) where privileges are missing. */
    ALL,
    /** Only the namespace the exporter runs in: needs no privilege at all. */
    SELF;

    public String flagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
