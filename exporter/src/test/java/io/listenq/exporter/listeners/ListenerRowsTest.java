package io.listenq.exporter.listeners;

import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Json;
import io.listenq.exporter.testing.Snapshots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class ListenerRowsTest {
    public static final String CONTAINER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static ListenerSample tcp(
            String netns, String port, long length, long backlog, long drops, double rate, long cgroup) {
        return listener(netns, "ipv4", "127.0.0.1", port)
                .acceptQueue(length)
                .backlog(backlog)
                .drops(drops)
                .synQueue(0)
                .dropRate(rate)
                .cgroupId(cgroup)
                .build();
    }

    /** Host: a quiet listener, a dropping one and a full one; a pod: a half-full one and a unix listener. */
    public static Snapshot snapshot() {
        NamespaceSample host = new NamespaceSample(
                "4026531840",
                new NetnsIdentity("host", "1", "init", "", ""),
                Map.of(),
                Map.of(),
                List.of(
                        tcp("4026531840", "80", 0, 128, 0, 0, 10),
                        tcp("4026531840", "81", 1, 128, 40, 2.5, 11),
                        tcp("4026531840", "82", 5, 4, 75, 0.5, 12)));
        NamespaceSample pod = new NamespaceSample(
                "4026532999",
                new NetnsIdentity("", "77", "pause", CONTAINER, ""),
                Map.of(),
                Map.of(),
                List.of(
                        tcp("4026532999", "8080", 64, 128, 0, 0, 13),
                        listener("4026532999", "unix", "/run/app \"x\".sock", "")
                                .acceptQueue(2)
                                .backlog(3)
                                .build()));
        return Snapshots.snapshot(host, pod)
                .timestampMillis(1_764_072_000_123L)
                .roundSeconds(0.01)
                .owner(11, ListenerOwner.ofPath("/system.slice/web.service"))
                .owner(12, ListenerOwner.ofPath("/lq.scope"))
                .owner(13, ListenerOwner.ofPath("/libpod_parent/libpod-" + CONTAINER))
                .build();
    }

    private static List<String> ports(List<ListenerRow> rows) {
        return rows.stream().map(r -> r.sample().key().port()).toList();
    }

    @Test
    void sortedByTroubleThenFill() {
        // full, then dropping, then fullest (the unix one: 2 of 3), then the empty ones (by key)
        assertThat(ports(ListenerRows.of(snapshot()))).containsExactly("82", "81", "", "8080", "80");
        assertThat(ListenerRows.of(null)).isEmpty();
    }

    @Test
    void filtersByNamespaceInodeOrNameAndByFill() {
        List<ListenerRow> rows = ListenerRows.of(snapshot());
        assertThat(ports(ListenerRows.filter(rows, filter("netns", "host")))).containsExactly("82", "81", "80");
        assertThat(ports(ListenerRows.filter(rows, filter("netns", "4026532999"))))
                .containsExactly("", "8080");
        assertThat(ports(ListenerRows.filter(rows, filter("min_fill", "0.5")))).containsExactly("82", "", "8080");
        assertThat(ports(ListenerRows.filter(rows, filter("min_fill", "1.01")))).containsExactly("82");
        assertThat(ListenerRows.filter(rows, filter("netns", "nope"))).isEmpty();
        assertThat(ListenerRows.Filter.parse(Map.of("other", List.of("x")))).isEqualTo(ListenerRows.Filter.ALL);
    }

    @Test
    void badFilterValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> filter("min_fill", "lots"))
                .hasMessageContaining("min_fill")
                .hasMessageContaining("lots");
        assertThatThrownBy(() -> filter("min_fill", "-1")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> filter("min_fill", "NaN")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> filter("netns", " ")).hasMessageContaining("netns");
        assertThatThrownBy(() -> ListenerRows.Filter.parse(Map.of("netns", List.of("a", "b"))))
                .hasMessageContaining("at most once");
    }

    private static ListenerRows.Filter filter(String name, String value) {
        return ListenerRows.Filter.parse(Map.of(name, List.of(value)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonCarriesEveryFieldWithNullsWhereUnknown() {
        Snapshot s = snapshot();
        Map<String, Object> doc =
                (Map<String, Object>) Json.parse(ListenersJson.render(s.timestampMillis(), ListenerRows.of(s)));
        assertThat(doc.get("sample_timestamp_seconds")).isEqualTo(1_764_072_000.123);
        assertThat(doc.get("count")).isEqualTo(5.0);
        List<Map<String, Object>> l = (List<Map<String, Object>>) doc.get("listeners");
        Map<String, Object> full = l.get(0);
        assertThat(full)
                .containsEntry("netns", "4026531840")
                .containsEntry("netns_name", "host")
                .containsEntry("family", "ipv4")
                .containsEntry("address", "127.0.0.1")
                .containsEntry("port", 82.0)
                .containsEntry("length", 5.0)
                .containsEntry("backlog", 4.0)
                .containsEntry("peak", 5.0)
                .containsEntry("full", true)
                .containsEntry("fill_ratio", 1.25)
                .containsEntry("drops_total", 75.0)
                .containsEntry("drops_per_second", 0.5)
                .containsEntry("syn_queue", 0.0)
                .containsEntry("sockets", 1.0)
                .containsEntry(
                        "owner", Map.of("cgroup", "/lq.scope", "unit", "lq.scope", "container_id", "", "pod_uid", ""));
        Map<String, Object> pod = l.get(3);
        assertThat(pod).containsEntry("netns_container_id", CONTAINER).containsEntry("fill_ratio", 0.5);
        assertThat((Map<String, Object>) pod.get("owner")).containsEntry("container_id", CONTAINER);
        Map<String, Object> unix = l.get(2);
        assertThat(unix)
                .containsEntry("address", "/run/app \"x\".sock")
                .containsEntry("port", null)
                .containsEntry("drops_total", null)
                .containsEntry("drops_per_second", null)
                .containsEntry("syn_queue", null)
                .containsEntry("owner", null);
        assertThat(l.get(4)).as("cgroup id 10 resolved to nothing").containsEntry("owner", null);
        assertThat(Json.parse(ListenersJson.render(-1, List.of())))
                .isEqualTo(Json.parse("{\"sample_timestamp_seconds\":null,\"count\":0,\"listeners\":[]}"));
    }

    @Test
    void jsonStringsEscapeControlCharacters() {
        StringBuilder b = new StringBuilder();
        ListenersJson.string(b, "a\"b\\c\n\u0001\u2028");
        assertThat(b).hasToString("\"a\\\"b\\\\c\\n\\u0001\\u2028\"");
        assertThat(Json.parse(b.toString())).isEqualTo("a\"b\\c\n\u0001\u2028");
    }

    @Test
    void tableIsFullestFirstWithOwners() {
        String table = ListenersText.table(ListenerRows.of(snapshot()));
        String[] lines = table.split("\n");
        assertThat(lines[0].strip().split("\\s+")).containsExactly(ListenersText.HEADER);
        assertThat(lines[1].strip().split("\\s+"))
                .containsExactly("4026531840", "host", "ipv4", "127.0.0.1", "82", "5", "4", "125", "75", "lq.scope");
        assertThat(lines[4].strip().split("\\s+"))
                .containsExactly(
                        "4026532999",
                        "-",
                        "ipv4",
                        "127.0.0.1",
                        "8080",
                        "64",
                        "128",
                        "50",
                        "0",
                        "container:0123456789ab");
        assertThat(lines[5].strip().split("\\s+"))
                .containsExactly("4026531840", "host", "ipv4", "127.0.0.1", "80", "0", "128", "0", "0", "-");
    }
}
