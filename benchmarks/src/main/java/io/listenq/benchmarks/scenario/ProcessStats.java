package io.listenq.benchmarks.scenario;

import io.listenq.collectors.procfs.ProcFile;
import java.io.IOException;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc/&lt;pid&gt;/stat and status (proc(5)). */
final class ProcessStats {
    /** USER_HZ: utime and stime are in clock ticks, 100 per second on every Linux ABI we run on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path procfs;

    ProcessStats(Path procfs) {
        this.procfs = procfs;
    }

    /** utime + stime in seconds of the whole process, exited threads included. */
    double cpuSeconds(long pid) throws IOException {
        return statCpuSeconds(ProcFile.read(procfs.resolve(pid + "/stat")));
    }

    /** utime + stime in seconds of the process's threads named {@code comm} (/proc/PID/task/TID/comm), 0 if none. */
    double threadCpuSeconds(long pid, String comm) throws IOException {
        double sum = 0;
        try (var tasks = java.nio.file.Files.list(procfs.resolve(pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (ProcFile.read(task.resolve("comm")).strip().equals(comm)) {
                        sum += statCpuSeconds(ProcFile.read(task.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread exited between list and read
                }
            }
        }
        return sum;
    }

    /** Fields 14 and 15 of a stat line; field 2, comm, may contain spaces: count after its ')'. */
    static double statCpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** Open file descriptors of the process (/proc/PID/fd entries). */
    int fds(long pid) throws IOException {
        try (var fds = java.nio.file.Files.list(procfs.resolve(pid + "/fd"))) {
            return (int) fds.count();
        }
    }

    /** Threads of the process (/proc/PID/task entries). */
    int threads(long pid) throws IOException {
        try (var tasks = java.nio.file.Files.list(procfs.resolve(pid + "/task"))) {
            return (int) tasks.count();
        }
    }

    /** VmRSS in bytes. */
    long rssBytes(long pid) throws IOException {
        for (String line : ProcFile.read(procfs.resolve(pid + "/status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
