package io.listenq.collectors.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFilesTest {
    @Test
    void preadReadsAtThePositionIntoTheOffset(@TempDir Path dir) throws IOException {
        byte[] content = new byte[100_000]; // larger than a thread's first native buffer
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        Path f = dir.resolve("f");
        Files.write(f, content);
        int fd = NativeFiles.openRead(f);
        try {
            byte[] dst = new byte[content.length + 10];
            assertThat(NativeFiles.pread(fd, dst, 10, content.length, 0)).isEqualTo(content.length);
            assertThat(Arrays.copyOfRange(dst, 10, dst.length)).isEqualTo(content);
            assertThat(NativeFiles.pread(fd, dst, 0, 10, 99_995))
                    .as("short at the end")
                    .isEqualTo(5);
            assertThat(Arrays.copyOf(dst, 5)).isEqualTo(Arrays.copyOfRange(content, 99_995, 100_000));
            assertThat(NativeFiles.pread(fd, dst, 0, 10, content.length))
                    .as("EOF")
                    .isZero();
            assertThatThrownBy(() -> NativeFiles.pread(fd, dst, 5, dst.length, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            Native.close(fd);
        }
    }

    @Test
    void aFailedPreadCarriesItsErrno() {
        assertThatThrownBy(() -> NativeFiles.pread(-1, new byte[8], 0, 8, 0))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.call()).isEqualTo("pread");
                    assertThat(e.errno()).as("EBADF").isEqualTo(9);
                });
    }

    @Test
    void openFailuresAreTheFileSystemExceptionsFileChannelThrows(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> NativeFiles.openRead(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageStartingWith(missing.toString())
                .hasCauseInstanceOf(NativeException.class);
        Path file = dir.resolve("file");
        Files.writeString(file, "x", StandardCharsets.US_ASCII);
        Path underAFile = file.resolve("child"); // ENOTDIR: neither missing nor refused
        assertThatThrownBy(() -> NativeFiles.openRead(underAFile))
                .isExactlyInstanceOf(FileSystemException.class)
                .hasMessageStartingWith(underAFile.toString())
                .hasMessageContaining("errno 20");
    }
}
