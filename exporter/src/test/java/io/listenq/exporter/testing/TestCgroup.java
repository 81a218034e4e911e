package io.listenq.exporter.testing;

import io.listenq.collectors.cgroup.Cgroup2Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A cgroup v2 directory made for one test ({@code <cgroup2 mount>/lq-...-<random>.scope}), into which
 * {@link #start} moves a child process before it runs its command, so every socket the command creates carries
 * this cgroup's id. {@link #close()} kills what is left inside and removes the directory.
 */
public final class TestCgroup implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    private TestCgroup(Path dir) {
        this.dir = dir;
    }

    /** The cgroup2 mount from /proc/self/mountinfo; skips (fails under CI=true) without one. */
    public static Path mount() throws IOException {
        var mount = Cgroup2Mount.find(Path.of("/proc"));
        if (mount.isEmpty()) {
            String why = "no cgroup2 file system mounted (see /proc/self/mountinfo)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why + "; skipping");
        }
        return mount.get();
    }

    public static TestCgroup create(String prefix) throws IOException {
        String name = prefix + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".scope";
        return new TestCgroup(Files.createDirectory(mount().resolve(name)));
    }

    /** The path as the kernel and {@code ss --cgroup} print it: relative to the mount, with a leading slash. */
    public String path() {
        return "/" + dir.getFileName();
    }

    public String unit() {
        return dir.getFileName().toString();
    }

    /** Starts {@code command} inside this cgroup: the shell moves itself in, then execs the command. */
    public Process start(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                "sh",
                "-c",
                "echo $$ > \"$0\" && exec \"$@\"",
                dir.resolve("cgroup.procs").toString()));
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        // rmdir of a cgroup fails with EBUSY while a process is still leaving it
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (i == 49) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
