package io.listenq.collectors.netns;

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

    /** The inode as unsigned decimal: the {@code netns} label value. */
    public String inodeText() {
        return Long.toUnsignedString(inode);
    }

    @Override
    public String toString() {
        return "net:[" + inodeText() + "]@" + Long.toUnsignedString(dev);
    }
}
