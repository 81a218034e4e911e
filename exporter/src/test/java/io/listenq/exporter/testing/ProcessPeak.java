package io.listenq.exporter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The peak RSS, thread count and open fds of a process, sampled from /proc/PID every 100 ms on a thread of its own
 * until closed.
 */
public final class ProcessPeak implements AutoCloseable {
    private final Path proc;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long rssKib;
    private volatile long threads;
    private volatile long fds;
    /** Thread names (digits folded) and counts at the thread peak: says what a peak was made of. */
    private volatile String threadsAtPeak = "";

    public ProcessPeak(long pid) {
        this.proc = Path.of("/proc/" + pid);
        this.thread = Thread.ofPlatform().daemon(true).name("peak-" + pid).start(this::loop);
    }

    private void loop() {
        while (running.get()) {
            try {
                for (String line : Files.readAllLines(proc.resolve("status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rssKib = Math.max(rssKib, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    } else if (line.startsWith("Threads:")) {
                        long now = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        if (now > threads) {
                            threads = now;
                            threadsAtPeak = threadNames();
                        }
                    }
                }
                try (var list = Files.list(proc.resolve("fd"))) {
                    fds = Math.max(fds, list.count());
                }
                Thread.sleep(100);
            } catch (IOException | java.io.UncheckedIOException e) {
                return; // the process is gone: the assertions on it will say so
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String threadNames() throws IOException {
        java.util.Map<String, Integer> names = new java.util.TreeMap<>();
        try (var tasks = Files.list(proc.resolve("task"))) {
            for (Path t : tasks.toList()) {
                try {
                    names.merge(Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "N"), 1, Integer::sum);
                } catch (IOException e) {
                    // the thread ended since the listing
                }
            }
        }
        return names.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(2_000);
    }

    /** Peak open fds (meaningful after {@link #close()}). */
    public long fds() {
        return fds;
    }

    @Override
    public String toString() {
        return String.format(
                "peak RSS %d MiB, %d threads, %d fds (threads at the peak: %s)",
                rssKib / 1024, threads, fds, threadsAtPeak);
    }
}
