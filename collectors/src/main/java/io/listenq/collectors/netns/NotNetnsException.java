package io.listenq.collectors.netns;

import java.io.IOException;

/**
 * A namespace file that is not a network namespace: a bind mount of some other namespace type (uts, mnt...) in a
 * directory of network namespaces. setns(fd, CLONE_NEWNET) would refuse it with EINVAL every time
 * (kernel/nsproxy.c check_setns_flags via ns->ops->type), so it is worth telling apart from a failure.
 */
public final class NotNetnsException extends IOException {
    private final String type;

    NotNetnsException(String path, String type) {
        super(path + " is a " + type + " namespace, not a network namespace");
        this.type = type;
    }

    /** The namespace type the file is, as nsfs names it ({@code uts}, {@code mnt}, ...). */
    public String type() {
        return type;
    }
}
