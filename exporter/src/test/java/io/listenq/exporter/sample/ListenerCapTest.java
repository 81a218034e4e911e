package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ListenerSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ListenerCapTest {
    private static final Predicate<ListenerSample> CALM = s -> false;

    private static ListenerSample listener(String netns, String family, String address, String port, long queue) {
        return ListenerSamples.listener(netns, family, address, port)
                .acceptQueue(queue)
                .drops(0)
                .synQueue(0)
                .build();
    }

    private static NamespaceSample ns(String netns, List<ListenerSample> listeners) {
        return new NamespaceSample(netns, new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), listeners);
    }

    /** Sorted by key, as the sampler hands them over: ports as strings, ipv4 before ipv6. */
    private static NamespaceSample flooded(String netns, int count, ListenerSample... real) {
        List<ListenerSample> ls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ls.add(listener(netns, "ipv4", "127.0.0.1", Integer.toString(10000 + i), 0));
        }
        ls.addAll(List.of(real));
        ls.sort((a, b) -> a.key().compareTo(b.key()));
        return ns(netns, ls);
    }

    private static Set<String> kept(List<List<ListenerSample>> kept) {
        return kept.stream()
                .flatMap(List::stream)
                .map(s -> s.key().netns() + "/" + s.key().address() + ":"
                        + s.key().port())
                .collect(Collectors.toSet());
    }

    @Test
    void privilegedPortsAndTroubleWinOverAFloodOfHighPorts() {
        ListenerCap cap = new ListenerCap(5, LoggerFactory.getLogger(ListenerCapTest.class));
        NamespaceSample host = flooded(
                "1",
                100,
                listener("1", "ipv6", "::1", "443", 0),
                listener("1", "ipv4", "127.0.0.1", "9", 0),
                listener("1", "ipv4", "0.0.0.0", "8080", 3));
        List<List<ListenerSample>> kept = cap.select(List.of(host), s -> s.acceptQueue() > 0, k -> false);
        assertThat(kept(kept))
                .contains("1/::1:443", "1/127.0.0.1:9", "1/0.0.0.0:8080")
                .hasSize(5);
        assertThat(cap.dropped()).isEqualTo(98);
        // kept listeners stay in the sampler's order
        assertThat(kept.getFirst()).isSortedAccordingTo((a, b) -> a.key().compareTo(b.key()));
    }

    @Test
    void aFloodInOneNamespaceTakesOnlyItsShare() {
        ListenerCap cap = new ListenerCap(10, LoggerFactory.getLogger(ListenerCapTest.class));
        NamespaceSample a = flooded("1", 1000);
        NamespaceSample b = ns(
                "2",
                List.of(listener("2", "ipv4", "10.0.0.2", "5432", 0), listener("2", "ipv4", "10.0.0.2", "6432", 0)));
        NamespaceSample c = ns("3", List.of(listener("3", "unix", "/run/app.sock", "", 0)));
        Set<String> kept = kept(cap.select(List.of(a, b, c), CALM, k -> false));
        assertThat(kept)
                .contains("2/10.0.0.2:5432", "2/10.0.0.2:6432", "3//run/app.sock:")
                .hasSize(10);
    }

    @Test
    void seriesAlreadyExportedAreNotEvictedByNewOnes() {
        ListenerCap cap = new ListenerCap(3, LoggerFactory.getLogger(ListenerCapTest.class));
        NamespaceSample ns = ns(
                "1",
                List.of(
                        listener("1", "ipv4", "0.0.0.0", "10000", 0),
                        listener("1", "ipv4", "0.0.0.0", "10001", 0),
                        listener("1", "ipv4", "0.0.0.0", "10002", 0),
                        listener("1", "ipv4", "0.0.0.0", "50000", 0),
                        listener("1", "ipv4", "0.0.0.0", "60000", 0)));
        Set<String> incumbents = Set.of("50000", "60000");
        Set<String> kept = kept(cap.select(List.of(ns), CALM, k -> incumbents.contains(k.port())));
        assertThat(kept).containsExactlyInAnyOrder("1/0.0.0.0:50000", "1/0.0.0.0:60000", "1/0.0.0.0:10000");
    }

    @Test
    void theSameInputGivesTheSameSelectionAndTheGaugeFollowsTheRound() {
        ListenerCap cap = new ListenerCap(50, LoggerFactory.getLogger(ListenerCapTest.class));
        List<NamespaceSample> in = List.of(flooded("1", 40), flooded("2", 40), flooded("3", 40));
        Set<String> first = kept(cap.select(in, CALM, k -> false));
        assertThat(kept(cap.select(in, CALM, k -> false))).isEqualTo(first);
        assertThat(cap.dropped()).isEqualTo(70);
        cap.select(List.of(flooded("1", 40)), CALM, k -> false);
        assertThat(cap.dropped()).as("left out now, not summed").isZero();
    }
}
