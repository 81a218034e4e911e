package io.listenq.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The collectors' captured fixtures (procfs text, netlink reply bytes), which the benchmark jar carries as
 * resources (benchmarks/pom.xml points at collectors/src/test/resources: one copy, no drift).
 */
final class Fixtures {
    private Fixtures() {}

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " missing from the benchmark jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
