package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.NetlinkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneWalkTest {
    private final OneWalk oneWalk = new OneWalk();
    private final List<String> calls = new ArrayList<>();

    private List<String> perFamily(int family) {
        String name = family == Native.AF_INET ? "v4" : "v6";
        calls.add(name);
        return List.of(name);
    }

    private OneWalk.BothFamilies<String> refusing(int errno) {
        return () -> {
            calls.add("both");
            throw new NetlinkException("tcp LISTEN one-walk dump: NLMSG_ERROR (errno " + errno + ")", errno);
        };
    }

    @Test
    void bothFamiliesInOneDumpWhileTheKernelAllowsIt() throws IOException {
        OneWalk.BothFamilies<String> both = () -> {
            calls.add("both");
            return List.of("v4", "v6");
        };
        assertThat(oneWalk.dump(both, this::perFamily)).containsExactly("v4", "v6");
        assertThat(oneWalk.dump(both, this::perFamily)).containsExactly("v4", "v6");
        assertThat(calls).containsExactly("both", "both");
        assertThat(oneWalk.refused()).isFalse();
    }

    @Test
    void aRefusalSwitchesToPerFamilyDumpsOnce() throws IOException {
        assertThat(oneWalk.dump(refusing(95), this::perFamily)).containsExactly("v4", "v6");
        assertThat(oneWalk.refused()).isTrue();
        assertThat(oneWalk.dump(refusing(95), this::perFamily)).containsExactly("v4", "v6");
        assertThat(calls).as("not asked again").containsExactly("both", "v4", "v6", "v4", "v6");
    }

    @Test
    void einvalIsARefusalToo() throws IOException {
        assertThat(oneWalk.dump(refusing(22), this::perFamily)).containsExactly("v4", "v6");
        assertThat(oneWalk.refused()).isTrue();
    }

    @Test
    void otherErrorsAreThrownAndDecideNothing() {
        assertThatThrownBy(() -> oneWalk.dump(refusing(105), this::perFamily))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("errno 105");
        assertThat(oneWalk.refused()).isFalse();
        assertThat(calls).containsExactly("both");
    }

    @Test
    void aRefusalThatThePerFamilyDumpsFailTooDecidesNothing() {
        IOException down = new IOException("sock_diag down");
        assertThatThrownBy(() -> oneWalk.dump(refusing(95), family -> {
                    throw down;
                }))
                .isSameAs(down);
        assertThat(oneWalk.refused()).isFalse();
    }
}
