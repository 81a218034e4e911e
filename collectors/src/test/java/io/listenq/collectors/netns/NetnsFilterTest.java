package io.listenq.collectors.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.linux.NetnsId;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NetnsFilterTest {

    private static final String CID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static DiscoveredNetns ns(long inode, boolean init, String comm, List<String> names, ContainerIdentity id) {
        return new DiscoveredNetns(
                new NetnsId(4, inode), OptionalInt.of(10), comm, 1, names, Path.of("x"), init, false, id);
    }

    private final DiscoveredNetns host =
            ns(4026531833L, true, "systemd", List.of("default"), ContainerIdentity.UNKNOWN);
    private final DiscoveredNetns web = ns(
            4026532100L,
            false,
            "nginx",
            List.of("web", "web-alias"),
            new ContainerIdentity(CID, "8a5c2e1f-7b3d-4c6a-9e0f-1d2c3b4a5f6e"));
    private final DiscoveredNetns anon = ns(4026532200L, false, "sleep", List.of(), ContainerIdentity.UNKNOWN);

    @Test
    void candidatesCoverNameInodeIdentityAndComm() {
        assertThat(NetnsFilter.candidates(host)).containsExactly("host", "default", "4026531833", "systemd");
        assertThat(NetnsFilter.candidates(web))
                .containsExactly(
                        "web", "web-alias", "4026532100", CID, "8a5c2e1f-7b3d-4c6a-9e0f-1d2c3b4a5f6e", "nginx");
    }

    @Test
    void absentPatternsKeepEverything() {
        assertThat(List.of(host, web, anon)).allMatch(NetnsFilter.ALL);
        assertThat(NetnsFilter.of("", null)).isEqualTo(NetnsFilter.ALL);
    }

    @Test
    void includeMatchesAnyCandidateEntirely() {
        NetnsFilter f = NetnsFilter.of("web.*|4026532200", null);
        assertThat(f.test(web)).isTrue();
        assertThat(f.test(anon)).as("by inode").isTrue();
        assertThat(f.test(host)).isFalse();
        assertThat(NetnsFilter.of("we", null).test(web)).as("no partial match").isFalse();
        assertThat(NetnsFilter.of("0123.*", null).test(web))
                .as("by container id")
                .isTrue();
        assertThat(NetnsFilter.of("8a5c2e1f-.*", null).test(web))
                .as("by pod uid")
                .isTrue();
    }

    @Test
    void excludeWinsOverInclude() {
        NetnsFilter f = NetnsFilter.of(".*", "host|sleep");
        assertThat(f.test(host)).isFalse();
        assertThat(f.test(anon)).as("by comm").isFalse();
        assertThat(f.test(web)).isTrue();
    }

    @Test
    void equalPatternsGiveEqualFilters() {
        assertThat(NetnsFilter.of("a", "b"))
                .isEqualTo(NetnsFilter.of("a", "b"))
                .hasSameHashCodeAs(NetnsFilter.of("a", "b"));
        assertThat(NetnsFilter.of("a", "b")).isNotEqualTo(NetnsFilter.of("a", null));
    }
}
