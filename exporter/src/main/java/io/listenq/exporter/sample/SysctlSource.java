package io.listenq.exporter.sample;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.collectors.procfs.SysctlFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sysctl} collector: the {@link Sysctl} files under /proc/sys, which resolve against the calling
 * thread's namespace at open time (net_ctl_header_lookup uses current->nsproxy->net_ns), so they are opened inside
 * it, once, and re-read through the open files from then on ({@link SysctlFiles}). Nothing counts a sysctl change,
 * so {@link SkipPolicy} has them read once per refresh interval. A file that cannot be read leaves its sysctl
 * absent and the collector failed; the others are kept.
 */
final class SysctlSource extends KernelSource<Map<Sysctl, Long>> {
    private static final Sysctl[] SYSCTLS = Sysctl.values();

    private final SysctlFiles files;
    private final long[] values = new long[SYSCTLS.length];
    /** Bit i: sysctl i was read in the last read. */
    private int present;

    private IOException problem;

    SysctlSource(Path procfs) {
        super(CollectorName.SYSCTL);
        this.files = new SysctlFiles(procfs.resolve("sys"));
    }

    /** Whether a read would open a file, which must happen inside the namespace. */
    boolean needsOpen() {
        return files.needsOpen();
    }

    /**
     * Reads every sysctl, entering the namespace first if a file must be opened; returns the last map itself when
     * no value changed (later stages compare by ==), allocating nothing then.
     */
    Map<Sysctl, Long> read(NetnsEntry entry) throws IOException {
        if (files.needsOpen()) {
            entry.enter();
        }
        problem = null;
        boolean changed = last().isEmpty();
        int now = 0;
        for (Sysctl s : SYSCTLS) {
            int i = s.ordinal();
            try {
                long v = files.read(s);
                now |= 1 << i;
                changed |= (present & (1 << i)) == 0 || values[i] != v;
                values[i] = v;
            } catch (IOException e) {
                if (problem == null) {
                    problem = e;
                } else {
                    problem.addSuppressed(e);
                }
            }
        }
        changed |= now != present;
        present = now;
        if (!changed) {
            return last().orElseThrow();
        }
        Map<Sysctl, Long> out = new EnumMap<>(Sysctl.class);
        for (Sysctl s : SYSCTLS) {
            if ((present & (1 << s.ordinal())) != 0) {
                out.put(s, values[s.ordinal()]);
            }
        }
        return Map.copyOf(out);
    }

    @Override
    Optional<IOException> incomplete(Map<Sysctl, Long> value) {
        return Optional.ofNullable(problem);
    }

    @Override
    void reset() {
        present = 0;
        files.close();
    }
}
