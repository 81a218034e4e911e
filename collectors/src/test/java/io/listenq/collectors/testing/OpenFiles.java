package io.listenq.collectors.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What this process holds open, from /proc/self/fd: the oracle for tests that check an fd is closed. */
public final class OpenFiles {
    private OpenFiles() {}

    /**
     * The fds open on files under {@code dir}. Other threads' fds do not count unless they open files there, so a
     * test's own temporary directory gives an exact answer.
     */
    public static long under(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).startsWith(real);
                        } catch (IOException e) {
                            return false; // closed since the listing (the listing's own fd, for one)
                        }
                    })
                    .count();
        }
    }
}
