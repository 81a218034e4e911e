package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.NetnsId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A namespace file of another type (what a uts bind mount in /run/netns is) is refused at open with its type, and
 * its fd closed; the own network namespace opens. Opening one's own namespace files needs no privilege.
 */
class NetnsSwitchTypeTest {
    private static final Path PROC = Path.of("/proc");

    private static NetnsId id(Path p) throws Exception {
        return NetnsId.of(p);
    }

    @Test
    void refusesANamespaceThatIsNotANetworkNamespace() throws Exception {
        Path uts = PROC.resolve("thread-self/ns/uts");
        try (NetnsSwitch sw = new NetnsSwitch(PROC)) {
            long before = fds();
            assertThatThrownBy(() -> sw.open(uts, id(uts)))
                    .isInstanceOf(NotNetnsException.class)
                    .hasMessageContaining("uts namespace")
                    .satisfies(e -> assertThat(((NotNetnsException) e).type()).isEqualTo("uts"));
            assertThat(fds()).as("no fd kept").isEqualTo(before);
            Path net = PROC.resolve("thread-self/ns/net");
            try (NetnsSwitch.Handle h = sw.open(net, id(net))) {
                assertThat(h.id()).isEqualTo(id(net));
            }
        }
    }

    private static long fds() throws Exception {
        try (var s = Files.list(PROC.resolve("self/fd"))) {
            return s.count();
        }
    }
}
