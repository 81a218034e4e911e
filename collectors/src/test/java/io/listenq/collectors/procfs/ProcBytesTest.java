package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcBytesTest {
    @Test
    void readWholeStopsAtTheFirstShortRead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("snmp");
        Files.writeString(f, "Tcp: InSegs\nTcp: 42\n");
        try (CountingChannel ch = new CountingChannel(FileChannel.open(f, StandardOpenOption.READ))) {
            ProcBytes whole = new ProcBytes(64);
            assertThat(whole.readWhole(ch, "snmp")).isEqualTo(20);
            assertThat(ch.reads).isEqualTo(1);
            ProcBytes toEof = new ProcBytes(64);
            toEof.read(ch, "snmp");
            assertThat(ch.reads).isEqualTo(3); // the loop to EOF reads once more, for nothing
            assertThat(whole.contentEquals(toEof)).isTrue();
        }
    }

    @Test
    void readWholeGrowsWhileReadsComeBackFull(@TempDir Path dir) throws IOException {
        String big = "x".repeat(100_000) + "\n";
        Path f = dir.resolve("big");
        Files.writeString(f, big);
        try (CountingChannel ch = new CountingChannel(FileChannel.open(f, StandardOpenOption.READ))) {
            ProcBytes p = new ProcBytes(16);
            assertThat(p.readWhole(ch, "big")).isEqualTo(big.length());
            assertThat(p.text()).isEqualTo(big);
            // a buffer exactly full is not a short read: the read after it (0 bytes) says EOF
            ProcBytes exact = new ProcBytes(big.length());
            assertThat(exact.readWhole(ch, "big")).isEqualTo(big.length());
            assertThat(exact.text()).isEqualTo(big);
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
            try (CountingChannel ch = new CountingChannel(FileChannel.open(file, StandardOpenOption.READ))) {
                ProcBytes whole = new ProcBytes(256);
                whole.readWhole(ch, name);
                int wholeReads = ch.reads;
                ProcBytes toEof = new ProcBytes(256);
                toEof.read(ch, name);
                // counters may move between the two reads; the lines' names may not
                assertThat(labels(whole.text())).as(name).isEqualTo(labels(toEof.text()));
                assertThat(whole.text()).as(name).endsWith("\n");
                assertThat(wholeReads).as(name).isLessThan(ch.reads - wholeReads);
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

    /** Counts positional reads; everything else goes to the real channel. */
    private static final class CountingChannel extends FileChannel {
        private final FileChannel real;
        int reads;

        CountingChannel(FileChannel real) {
            this.real = real;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            reads++;
            return real.read(dst, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
