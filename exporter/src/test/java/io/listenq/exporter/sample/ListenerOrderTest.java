package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ListenerSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class ListenerOrderTest {
    /** Sorted by key, as the sampler hands them over. */
    private static final List<ListenerSample> LISTENERS = List.of(
            ListenerSamples.listener("1", "ipv4", "0.0.0.0", "10000").build(),
            ListenerSamples.listener("1", "ipv4", "0.0.0.0", "443").build(),
            ListenerSamples.listener("1", "ipv4", "0.0.0.0", "9000").build(),
            ListenerSamples.listener("1", "ipv6", "::", "443").build(),
            ListenerSamples.listener("1", "unix", "/run/a.sock", "").build());

    private static Predicate<ListenerKey> incumbents(String... ports) {
        Set<String> set = Set.of(ports);
        return k -> set.contains(k.port());
    }

    private static List<String> ranked(ListenerOrder order) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < order.size(); r++) {
            ListenerKey k = order.listeners().get(order.index(r)).key();
            out.add(k.address() + ":" + k.port());
        }
        return out;
    }

    @Test
    void ranksPrivilegedThenIncumbentThenPortThenKey() {
        ListenerOrder order = ListenerOrder.of(LISTENERS, incumbents("10000"), null);
        assertThat(ranked(order))
                .containsExactly("0.0.0.0:443", ":::443", "0.0.0.0:10000", "0.0.0.0:9000", "/run/a.sock:");
    }

    @Test
    void portsParseAsIntegerParseIntDoes() {
        for (String port : new String[] {"0", "80", "65535", "0443", "+80", "-1", "\u0663\u0660", "123456789"}) {
            assertThat(ListenerOrder.port(new ListenerKey("1", "ipv4", "0.0.0.0", port)))
                    .as(port)
                    .isEqualTo(Integer.parseInt(port));
        }
        for (String port : new String[] {"", "12a", "99999999999", "-"}) {
            assertThat(ListenerOrder.port(new ListenerKey("1", "ipv4", "0.0.0.0", port)))
                    .as(port)
                    .isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void theSameListWithTheSameIncumbentsKeepsLastRoundsOrder() {
        ListenerOrder first = ListenerOrder.of(LISTENERS, incumbents("9000"), null);
        assertThat(ListenerOrder.of(LISTENERS, incumbents("9000"), first)).isSameAs(first);
    }

    @Test
    void anotherListOrOtherIncumbentsAreRankedAgain() {
        ListenerOrder first = ListenerOrder.of(LISTENERS, incumbents("9000"), null);
        ListenerOrder copy = ListenerOrder.of(List.copyOf(new ArrayList<>(LISTENERS)), incumbents("9000"), first);
        assertThat(copy).isNotSameAs(first);
        assertThat(ranked(copy)).isEqualTo(ranked(first));

        ListenerOrder changed = ListenerOrder.of(LISTENERS, incumbents("10000"), first);
        assertThat(changed).isNotSameAs(first);
        assertThat(ranked(changed))
                .containsExactly("0.0.0.0:443", ":::443", "0.0.0.0:10000", "0.0.0.0:9000", "/run/a.sock:");
        assertThat(ranked(first))
                .as("the old order is left as it was")
                .containsExactly("0.0.0.0:443", ":::443", "0.0.0.0:9000", "0.0.0.0:10000", "/run/a.sock:");
    }

    @Test
    void aNamespaceHandedBackAsTheSameObjectIsNotRankedAgain() {
        ListenerCap cap = new ListenerCap(2, NOPLogger.NOP_LOGGER);
        NamespaceSample ns =
                new NamespaceSample("1", new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), LISTENERS);
        int[] lookups = {0};
        Predicate<ListenerKey> counting = k -> {
            lookups[0]++;
            return false;
        };
        List<List<ListenerSample>> first = cap.select(List.of(ns), s -> false, counting);
        List<List<ListenerSample>> second = cap.select(List.of(ns), s -> false, counting);
        assertThat(second).isEqualTo(first);
        assertThat(first.getFirst()).extracting(s -> s.key().port()).containsExactly("443", "443");
        // ranked once (5 lookups), then only checked (5 lookups): no sort's repeated lookups
        assertThat(lookups[0]).isEqualTo(10);
    }

    @Test
    void aNamespaceTheTrackerCarriedKeepsItsOrderAndTroubleWithoutAskingAgain() {
        ListenerCap cap = new ListenerCap(3, NOPLogger.NOP_LOGGER);
        NamespaceSample ns =
                new NamespaceSample("1", new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), LISTENERS);
        int[] asked = {0};
        Predicate<ListenerSample> inTrouble = s -> {
            asked[0]++;
            return s.key().port().equals("10000"); // kept first although it ranks last among the ports
        };
        Predicate<ListenerKey> incumbent = k -> {
            asked[0]++;
            return false;
        };
        List<List<ListenerSample>> first = cap.select(List.of(ns), inTrouble, incumbent, n -> true);
        int firstAsked = asked[0];
        assertThat(firstAsked).isPositive(); // nothing to keep from an earlier round: asked whatever unchanged says
        List<List<ListenerSample>> carried = cap.select(List.of(ns), inTrouble, incumbent, n -> true);
        assertThat(asked[0]).isEqualTo(firstAsked);
        assertThat(carried).isEqualTo(first);
        assertThat(first.getFirst()).extracting(s -> s.key().port()).containsExactly("10000", "443", "443");

        // not carried: asked again, and an answer that changed changes what is kept
        Predicate<ListenerSample> calm = s -> {
            asked[0]++;
            return false;
        };
        List<List<ListenerSample>> moved = cap.select(List.of(ns), calm, incumbent, n -> false);
        assertThat(asked[0]).isGreaterThan(firstAsked);
        assertThat(moved.getFirst()).extracting(s -> s.key().port()).containsExactly("443", "9000", "443");
    }
}
