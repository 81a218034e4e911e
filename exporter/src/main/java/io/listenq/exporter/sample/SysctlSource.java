package io.listenq.exporter.sample;

import io.listenq.collectors.procfs.Sysctl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sysctl} collector: the {@link Sysctl} files under /proc/sys, which resolve against the calling
 * thread's namespace at open time (net_ctl_header_lookup uses current->nsproxy->net_ns), so they are opened and
 * read inside it. Nothing counts a sysctl change, so {@link SkipPolicy} has them read once per refresh interval.
 * A file that cannot be read leaves its sysctl absent and the collector failed; the others are kept.
 */
final class SysctlSource extends KernelSource<Map<Sysctl, Long>> {
    private final Path sys;
    private IOException problem;

    SysctlSource(Path procfs) {
        super(CollectorName.SYSCTL);
        this.sys = procfs.resolve("sys");
    }

    /** Reads every sysctl; returns the last map itself when no value changed (later stages compare by ==). */
    Map<Sysctl, Long> read() {
        Map<Sysctl, Long> out = new EnumMap<>(Sysctl.class);
        problem = null;
        for (Sysctl s : Sysctl.values()) {
            try {
                out.put(s, s.read(sys));
            } catch (IOException e) {
                if (problem == null) {
                    problem = e;
                } else {
                    problem.addSuppressed(e);
                }
            }
        }
        Optional<Map<Sysctl, Long>> last = last();
        return last.isPresent() && last.get().equals(out) ? last.get() : Map.copyOf(out);
    }

    @Override
    Optional<IOException> incomplete(Map<Sysctl, Long> value) {
        return Optional.ofNullable(problem);
    }
}
