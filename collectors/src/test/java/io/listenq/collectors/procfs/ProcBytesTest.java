package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcBytesTest {
    @Test
    void readWholeStopsAtTheFirstShortRead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("snmp");
        Files.writeString(f, "Tcp: InSegs\nTcp: 42\n");
        try (Fd fd = new Fd(f);
                ReadCalls calls = new ReadCalls()) {
            ProcBytes whole = new ProcBytes(64);
            ProcBytes toEof = new ProcBytes(64);
            assertThat(calls.count(() -> whole.readWhole(fd.fd, "snmp"))).isEqualTo(1);
            assertThat(whole.length()).isEqualTo(20);
            assertThat(calls.count(() -> toEof.read(fd.fd, "snmp")))
                    .as("the loop to EOF reads once more, for nothing")
                    .isEqualTo(2);
            assertThat(whole.contentEquals(toEof)).isTrue();
        }
    }

    @Test
    void readWholeGrowsWhileReadsComeBackFull(@TempDir Path dir) throws IOException {
        String big = "x".repeat(100_000) + "\n";
        Path f = dir.resolve("big");
        Files.writeString(f, big);
        try (Fd fd = new Fd(f)) {
            ProcBytes p = new ProcBytes(16);
            assertThat(p.readWhole(fd.fd, "big")).isEqualTo(big.length());
            assertThat(p.text()).isEqualTo(big);
            // a buffer exactly full is not a short read: the read after it (0 bytes) says EOF
            ProcBytes exact = new ProcBytes(big.length());
            assertThat(exact.readWhole(fd.fd, "big")).isEqualTo(big.length());
            assertThat(exact.text()).isEqualTo(big);
            ProcBytes toEof = new ProcBytes(16);
            assertThat(toEof.read(fd.fd, "big")).isEqualTo(big.length());
            assertThat(toEof.contentEquals(p)).isTrue();
        }
    }

    @Test
    void aCopyHoldsTheSameBytesWhateverTheBuffersSizes() {
        ProcBytes big = ProcBytes.of("Tcp: RtoAlgorithm RtoMin\nTcp: 1 200\n".repeat(20));
        ProcBytes copy = new ProcBytes(0);
        assertThat(copy.contentEquals(big)).as("nothing read yet").isFalse();
        copy.copyFrom(big);
        assertThat(copy.contentEquals(big)).isTrue();
        assertThat(copy.text()).isEqualTo(big.text());
        ProcBytes small = ProcBytes.of("Tcp: 1 200\n");
        copy.copyFrom(small);
        assertThat(copy.contentEquals(small)).isTrue();
        assertThat(copy.contentEquals(big)).isFalse();
        copy.copyFrom(big);
        assertThat(copy.text()).isEqualTo(big.text());
    }

    @Test
    void aFileLargerThanTheBoundFailsNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(ProcBytes.MAX_SIZE + 1L); // sparse: reads as zeros
        }
        try (Fd fd = new Fd(f)) {
            ProcBytes p = new ProcBytes(16);
            assertThatThrownBy(() -> p.read(fd.fd, f.toString()))
                    .isInstanceOf(IOException.class)
                    .hasMessage(f + " is larger than " + ProcBytes.MAX_SIZE + " bytes");
            assertThat(p.contentEquals(p))
                    .as("a failed read leaves nothing to compare")
                    .isFalse();
        }
    }

    @Test
    void aFailedReadNamesTheFileAndErrno(@TempDir Path dir) throws IOException {
        try (Fd fd = new Fd(dir)) { // a directory opens read-only; reading it fails with EISDIR
            assertThatThrownBy(() -> new ProcBytes(16).readWhole(fd.fd, "the-dir"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the-dir: pread: ")
                    .hasMessageEndingWith("(errno 21)");
        }
    }

    /** The kernel's single_open() files come whole in the first read: same lines as a read to EOF. */
    @Test
    void procNetFilesComeWholeInOneRead() throws IOException {
        for (String name : List.of("snmp", "netstat", "sockstat", "sockstat6")) {
            Path file = Path.of("/proc/thread-self/net", name);
            if (!Files.exists(file)) {
                continue; // sockstat6 without IPv6
            }
            try (Fd fd = new Fd(file);
                    ReadCalls calls = new ReadCalls()) {
                ProcBytes whole = new ProcBytes(256);
                ProcBytes toEof = new ProcBytes(256);
                long wholeReads = calls.count(() -> whole.readWhole(fd.fd, name));
                long toEofReads = calls.count(() -> toEof.read(fd.fd, name));
                // counters may move between the two reads; the lines' names may not
                assertThat(labels(whole.text())).as(name).isEqualTo(labels(toEof.text()));
                assertThat(whole.text()).as(name).endsWith("\n");
                assertThat(wholeReads).as(name).isLessThan(toEofReads);
            }
        }
    }

    private static List<String> labels(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            out.add(line.replaceAll("[0-9]+", "#"));
        }
        return out;
    }

    /** A raw fd as the sampler holds one, closed after the test. */
    private static final class Fd implements AutoCloseable {
        final int fd;

        Fd(Path file) throws IOException {
            fd = NativeFiles.openRead(file);
        }

        @Override
        public void close() {
            Native.close(fd);
        }
    }

    @FunctionalInterface
    interface Read {
        void run() throws IOException;
    }

    /**
     * The read(2)-family calls this thread makes: {@code syscr} of /proc/thread-self/io, which {@code vfs_read}
     * counts for every read and pread (fs/read_write.c) after the text it returns was made, so reading it adds
     * one to the next reading only.
     */
    private static final class ReadCalls implements AutoCloseable {
        private final Fd io = new Fd(Path.of("/proc/thread-self/io"));
        private final byte[] text = new byte[4096];

        ReadCalls() throws IOException {
            syscr(); // loads what parsing it needs, which would count in the first count() otherwise
        }

        /**
         * The calls {@code read} makes, run once before to load what it needs (class files are read too, on this
         * thread); the least of three runs, as the JVM may still load a class here now and then.
         */
        long count(Read read) throws IOException {
            read.run();
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long before = syscr();
                read.run();
                least = Math.min(least, syscr() - before - 1);
            }
            return least;
        }

        private long syscr() throws IOException {
            // one pread, not ProcBytes': what is tested must not change what is counted
            int n = NativeFiles.pread(io.fd, text, 0, text.length, 0);
            for (String line : new String(text, 0, n, StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("syscr: ")) {
                    return Long.parseLong(line.substring(7));
                }
            }
            throw new IOException("no syscr in /proc/thread-self/io");
        }

        @Override
        public void close() {
            io.close();
        }
    }
}
