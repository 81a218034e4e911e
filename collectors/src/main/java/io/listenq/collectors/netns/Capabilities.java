package io.listenq.collectors.netns;

import io.listenq.collectors.procfs.ProcFile;
import io.listenq.collectors.procfs.ProcfsFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The effective capability set of a process, from the {@code CapEff:} line of {@code /proc/<pid>/status}
 * (printed by {@code render_cap_t} in {@code fs/proc/array.c} as 16 hex digits).
 *
 * <p>Visiting other namespaces needs {@code CAP_SYS_ADMIN} for {@code setns} and {@code CAP_SYS_PTRACE}
 * to open another process's {@code /proc/<pid>/ns/net} (ptrace read access, even as root; docs/kernel.md §6).
 */
public record Capabilities(long effective) {

    /** Bit numbers from {@code include/uapi/linux/capability.h}. */
    public static final int CAP_SYS_PTRACE = 19;

    public static final int CAP_SYS_ADMIN = 21;

    public boolean has(int capability) {
        if (capability < 0 || capability >= Long.SIZE) {
            throw new IllegalArgumentException("capability out of range: " + capability);
        }
        return (effective & (1L << capability)) != 0;
    }

    /** Names of the capabilities needed to watch other namespaces that are not effective; empty if none. */
    public List<String> missingForOtherNamespaces() {
        List<String> missing = new ArrayList<>(2);
        if (!has(CAP_SYS_ADMIN)) {
            missing.add("CAP_SYS_ADMIN");
        }
        if (!has(CAP_SYS_PTRACE)) {
            missing.add("CAP_SYS_PTRACE");
        }
        return List.copyOf(missing);
    }

    /** Reads {@code <procRoot>/self/status}. */
    public static Capabilities readSelf(Path procRoot) throws IOException {
        Path status = procRoot.resolve("self").resolve("status");
        return parseStatus(status.toString(), ProcFile.read(status));
    }

    /**
     * Parses the text of a {@code status} file.
     *
     * @throws ProcfsFormatException if there is no {@code CapEff:} line or its value is not 1-16 hex digits
     */
    public static Capabilities parseStatus(String source, String text) throws ProcfsFormatException {
        int lineNo = 0;
        int lines = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            lines++;
            if (!line.startsWith("CapEff:")) {
                continue;
            }
            String hex = line.substring("CapEff:".length()).strip();
            if (hex.isEmpty() || hex.length() > 16) {
                throw new ProcfsFormatException(source, lineNo, "CapEff is not 1-16 hex digits: '" + hex + "'");
            }
            try {
                return new Capabilities(Long.parseUnsignedLong(hex, 16));
            } catch (NumberFormatException e) {
                throw new ProcfsFormatException(source, lineNo, "CapEff is not hex: '" + hex + "'", e);
            }
        }
        throw new ProcfsFormatException(source, Math.max(1, lines), "no CapEff: line");
    }
}
