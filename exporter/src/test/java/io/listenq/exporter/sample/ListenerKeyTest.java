package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenerKeyTest {
    /** The generated record methods' meaning, on a record of the same components. */
    private record Generated(String netns, String family, String address, String port) {}

    @Test
    void hashCodeAndEqualsAreTheRecordOnes() {
        ListenerKey key = new ListenerKey("4026531840", "ipv4", "127.0.0.1", "8080");
        assertThat(key.hashCode()).isEqualTo(new Generated("4026531840", "ipv4", "127.0.0.1", "8080").hashCode());
        assertThat(key)
                .isEqualTo(new ListenerKey(new String("4026531840"), "ipv4", new String("127.0.0.1"), "8080"))
                .hasSameHashCodeAs(new ListenerKey("4026531840", "ipv4", "127.0.0.1", new String("8080")))
                .isNotEqualTo(new ListenerKey("4026531841", "ipv4", "127.0.0.1", "8080"))
                .isNotEqualTo(new ListenerKey("4026531840", "ipv6", "127.0.0.1", "8080"))
                .isNotEqualTo(new ListenerKey("4026531840", "ipv4", "127.0.0.2", "8080"))
                .isNotEqualTo(new ListenerKey("4026531840", "ipv4", "127.0.0.1", "8081"))
                .isNotEqualTo(new Generated("4026531840", "ipv4", "127.0.0.1", "8080"))
                .isNotEqualTo(null);
    }
}
