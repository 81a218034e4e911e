package io.listenq.collectors.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel captures under collectors/src/test/resources (procfs files, netlink replies; each directory's README
 * says how they were taken), loaded from the classpath so that the exporter's tests read the same files through
 * this module's test-jar instead of keeping copies.
 */
public final class Captures {
    private Captures() {}

    /** The bytes of {@code name}, e.g. {@code "procfs/netstat"}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing capture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code name} (captures are ASCII). */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.US_ASCII);
    }

    /** Writes {@code name} to {@code target} (a fake procfs tree); returns the target. */
    public static Path copy(String name, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.write(target, bytes(name));
    }
}
