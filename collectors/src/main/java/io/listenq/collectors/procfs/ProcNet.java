package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads {@code <procRoot>/<pid>/net/netstat} and {@code <procRoot>/<pid>/net/snmp}, the TCP counters of
 * the network namespace of {@code <pid>}.
 *
 * <p>{@code /proc/<pid>/net} follows the thread-group leader, not the calling thread (docs/kernel.md §7): a
 * worker thread that did {@code setns} must pass {@link #THREAD_SELF}. Each file is read whole in one
 * call ({@code Files.size()} is 0 on procfs, so nothing may trust it). A missing file (process gone)
 * surfaces as {@link java.nio.file.NoSuchFileException}; garbled content as {@link ProcfsFormatException}.
 */
public final class ProcNet {

    public static final String SELF = "self";
    public static final String THREAD_SELF = "thread-self";

    private ProcNet() {}

    /** All counters of both files, merged. */
    public static NetCounters read(Path procRoot, String pid) throws IOException {
        Path net = netDir(procRoot, pid);
        Path netstat = net.resolve("netstat");
        Path snmp = net.resolve("snmp");
        return NetCounters.parse(netstat.toString(), ProcFile.read(netstat))
                .merge(NetCounters.parse(snmp.toString(), ProcFile.read(snmp)));
    }

    /** Only the selected counters of both files; the sampler's path. */
    public static SelectedCounters read(Path procRoot, String pid, CounterSelection selection) throws IOException {
        Path net = netDir(procRoot, pid);
        Path netstat = net.resolve("netstat");
        Path snmp = net.resolve("snmp");
        return selection
                .parse(netstat.toString(), ProcFile.read(netstat))
                .merge(selection.parse(snmp.toString(), ProcFile.read(snmp)));
    }

    static Path netDir(Path procRoot, String pid) {
        Objects.requireNonNull(procRoot, "procRoot");
        Objects.requireNonNull(pid, "pid");
        if (!pid.equals(SELF) && !pid.equals(THREAD_SELF) && !isPid(pid)) {
            throw new IllegalArgumentException("not a pid, 'self' or 'thread-self': " + pid);
        }
        return procRoot.resolve(pid).resolve("net");
    }

    static boolean isPid(String s) {
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
