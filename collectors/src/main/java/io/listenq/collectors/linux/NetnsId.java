package io.listenq.collectors.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Identity of a network namespace: {@code st_dev} and {@code st_ino} of its nsfs file (what
 * {@code stat /proc/<pid>/ns/net} follows to). The inode alone is what {@code ip netns identify},
 * {@code lsns} and our {@code netns} label show; the device makes it unique across nsfs instances.
 */
public record NetnsId(long dev, long inode) {

    public NetnsId {
        if (inode == 0) {
            throw new IllegalArgumentException("inode 0 is not a namespace");
        }
    }

    /**
     * The identity of the namespace {@code nsFile} refers to: {@code /proc/<pid>/ns/net}, a bind mount under
     * {@code /run/netns}, or {@code /proc/thread-self/fd/<fd>} for an open namespace fd. {@code stat} follows
     * the magic link to the nsfs inode, not the link's own procfs inode (docs/kernel.md §6).
     * The one way the project stats a namespace.
     *
     * @throws IOException when the file vanished or cannot be followed (no ptrace access to its process)
     */
    public static NetnsId of(Path nsFile) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(nsFile, "unix:dev,ino");
        return new NetnsId(((Number) attrs.get("dev")).longValue(), ((Number) attrs.get("ino")).longValue());
    }

    /** The inode as unsigned decimal: the {@code netns} label value. */
    public String inodeText() {
        return Long.toUnsignedString(inode);
    }

    @Override
    public String toString() {
        return "net:[" + inodeText() + "]@" + Long.toUnsignedString(dev);
    }
}
