package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ListenerGroupsTest {
    private static final String NETNS = "4026531840";

    private static TcpListener tcp(int port, int queue, long drops) throws UnknownHostException {
        return new TcpListener(
                Native.AF_INET,
                InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                port,
                queue,
                128,
                1000 + port,
                port,
                OptionalLong.of(drops),
                OptionalLong.of(77));
    }

    private static List<ListenerSample> group(List<TcpListener> tcp, List<ListenerSample> previous) {
        return ListenerGroups.group(NETNS, tcp, Map.of(), List.of(new UnixListener("/run/a.sock", 0, 5, 1)), previous);
    }

    @Test
    void anUnchangedSeriesIsThePreviousObjectAndAChangedOneKeepsItsKey() throws Exception {
        List<ListenerSample> first = group(List.of(tcp(80, 0, 0), tcp(443, 0, 3)), List.of());
        assertThat(first).extracting(s -> s.key().port()).containsExactly("443", "80", "");
        assertThat(first.get(0).drops()).hasValue(3);
        assertThat(first.get(1).drops()).hasValue(0);
        assertThat(first.get(1).synQueue()).hasValue(0);
        assertThat(first.get(1).dropRate()).hasValue(0);

        List<ListenerSample> again = group(List.of(tcp(80, 0, 0), tcp(443, 0, 3)), first);
        assertThat(again).isEqualTo(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).isSameAs(first.get(i));
        }

        // 443 queues; 22 appears before every previous series; 80 stays
        List<ListenerSample> moved = group(List.of(tcp(22, 0, 0), tcp(80, 0, 0), tcp(443, 2, 3)), again);
        assertThat(moved).extracting(s -> s.key().port()).containsExactly("22", "443", "80", "");
        assertThat(moved.get(1)).isNotSameAs(first.get(0)).isNotEqualTo(first.get(0));
        assertThat(moved.get(1).acceptQueue()).isEqualTo(2);
        assertThat(moved.get(1).key()).isSameAs(first.get(0).key());
        assertThat(moved.get(2)).isSameAs(first.get(1));
        assertThat(moved.get(3)).isSameAs(first.get(2));
        assertThat(moved)
                .as("what grouping without the previous series gives")
                .isEqualTo(group(List.of(tcp(22, 0, 0), tcp(80, 0, 0), tcp(443, 2, 3)), List.of()));
    }

    @Test
    void namespacesShareTheTextOfTheirKeys() throws Exception {
        ListenerSample a = ListenerGroups.group("1", List.of(tcp(8080, 0, 0)), null, List.of(), List.of())
                .getFirst();
        ListenerSample b = ListenerGroups.group("2", List.of(tcp(8080, 0, 0)), null, List.of(), List.of())
                .getFirst();
        assertThat(a.key()).isNotEqualTo(b.key());
        assertThat(b.key().address()).isEqualTo("127.0.0.1").isSameAs(a.key().address());
        assertThat(b.key().port()).isEqualTo("8080").isSameAs(a.key().port());
    }
}
