package io.listenq.collectors.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * sigaction through FFM, checked against the kernel's own account of the process (SigIgn in /proc/self/status). On
 * SIGWINCH: its default action is to ignore it and the JVM does not handle it, so toggling it in the test JVM is
 * harmless.
 */
class NativeSignalsTest {
    /** asm-generic/signal.h: SIGWINCH 28, SIGKILL 9. */
    private static final int SIGWINCH = 28;

    private static final int SIGKILL = 9;

    @Test
    void readsAndSetsWhetherASignalIsIgnored() throws Exception {
        boolean before = NativeSignals.isIgnored(SIGWINCH);
        assertThat(before).as("as the kernel says").isEqualTo(kernelIgnores(SIGWINCH));
        try {
            NativeSignals.setIgnored(SIGWINCH, true);
            assertThat(NativeSignals.isIgnored(SIGWINCH)).isTrue();
            assertThat(kernelIgnores(SIGWINCH)).isTrue();
            NativeSignals.setIgnored(SIGWINCH, false);
            assertThat(NativeSignals.isIgnored(SIGWINCH)).isFalse();
            assertThat(kernelIgnores(SIGWINCH)).isFalse();
        } finally {
            NativeSignals.setIgnored(SIGWINCH, before);
        }
    }

    @Test
    void aSignalThatCannotBeCaughtIsAFailureWithItsErrno() {
        assertThatThrownBy(() -> NativeSignals.setIgnored(SIGKILL, true))
                .isInstanceOfSatisfying(
                        NativeException.class, e -> assertThat(e.errno()).isEqualTo(22)) // EINVAL
                .hasMessageStartingWith("sigaction: ");
        assertThatThrownBy(() -> NativeSignals.isIgnored(0)).isInstanceOf(NativeException.class);
    }

    /** Bit {@code signal - 1} of SigIgn, the kernel's set of ignored signals (fs/proc/array.c). */
    private static boolean kernelIgnores(int signal) throws IOException {
        String mask = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .findFirst()
                .orElseThrow()
                .substring("SigIgn:".length())
                .strip();
        return new BigInteger(mask, 16).testBit(signal - 1);
    }
}
