package io.listenq.collectors.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the cgroup v2 hierarchy is mounted, from {@code /proc/self/mountinfo} (format in the kernel's
 * Documentation/filesystems/proc.rst, "/proc/<pid>/mountinfo"; written by {@code show_mountinfo} in
 * fs/proc_namespace.c). A unified host mounts it at {@code /sys/fs/cgroup}, a hybrid one at
 * {@code /sys/fs/cgroup/unified}: the file system type says which, never the path.
 */
public final class Cgroup2Mount {
    private Cgroup2Mount() {}

    /** Reads {@code <procfs>/self/mountinfo}; empty when no cgroup2 file system is mounted. */
    public static Optional<Path> find(Path procfs) throws IOException {
        return parse(Files.readString(procfs.resolve("self/mountinfo")));
    }

    /**
     * The mount point of the first cgroup2 mount whose root is the hierarchy's root ({@code /}): a bind mount
     * of a sub-cgroup (a container's view) would make every path relative to it.
     */
    public static Optional<Path> parse(String mountinfo) {
        Optional<Path> any = Optional.empty();
        for (String line : mountinfo.split("\n")) {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            String[] fields = line.split(" ");
            int dash = -1;
            for (int i = 6; i < fields.length; i++) {
                if (fields[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 1 >= fields.length || !fields[dash + 1].equals("cgroup2")) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            if (fields[3].equals("/")) {
                return Optional.of(mountPoint);
            }
            if (any.isEmpty()) {
                any = Optional.of(mountPoint);
            }
        }
        return any;
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits (fs/proc_namespace.c mangle). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
