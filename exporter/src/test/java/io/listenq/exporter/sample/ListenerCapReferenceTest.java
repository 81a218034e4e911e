package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.ListenerSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/**
 * {@link ListenerCap} against the algorithm it replaced (kept here as the reference: a sort of boxed indexes per
 * namespace, then a sort of every candidate by trouble, rank and namespace) on random rounds: namespaces, ports below
 * and above 1024 and unix sockets, shared ports on several addresses, trouble and incumbency, and namespaces handed
 * back as the same objects from round to round (where the cap reuses its per-namespace order).
 */
class ListenerCapReferenceTest {
    private static final String[] ADDRESSES = {"0.0.0.0", "127.0.0.1", "10.0.0.1", "::", "::1", "/run/a.sock", "@x"};
    /** Shared ports, and spellings the decoder never writes but the old parse accepted or refused. */
    private static final String[] PORTS = {
        "",
        "0",
        "22",
        "80",
        "443",
        "1023",
        "1024",
        "8080",
        "9",
        "65535",
        "10000",
        "+80",
        "-1",
        "0443",
        "\u0663\u0660",
        "99999999999",
        "12a"
    };

    /** The selection before ListenerCap was made cheap, verbatim but for the class around it. */
    private static List<List<ListenerSample>> reference(
            int max,
            List<NamespaceSample> namespaces,
            Predicate<ListenerSample> troubled,
            Predicate<ListenerKey> incumbent) {
        record Candidate(int ns, int index, int rank, boolean trouble, ListenerSample sample) {}
        Comparator<Candidate> priority = Comparator.comparing((Candidate c) -> !c.trouble())
                .thenComparingInt(Candidate::rank)
                .thenComparingInt(Candidate::ns);
        int total = 0;
        for (NamespaceSample ns : namespaces) {
            total += ns.listeners().size();
        }
        List<List<ListenerSample>> kept = new ArrayList<>(namespaces.size());
        if (total <= max) {
            namespaces.forEach(ns -> kept.add(ns.listeners()));
            return kept;
        }
        List<Candidate> all = new ArrayList<>(total);
        for (int n = 0; n < namespaces.size(); n++) {
            List<ListenerSample> ls = namespaces.get(n).listeners();
            Integer[] order = new Integer[ls.size()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(
                    order,
                    Comparator.comparing((Integer i) -> !(port(ls.get(i).key()) < 1024))
                            .thenComparing(i -> !incumbent.test(ls.get(i).key()))
                            .thenComparingInt(i -> port(ls.get(i).key()))
                            .thenComparing(i -> ls.get(i).key()));
            for (int rank = 0; rank < order.length; rank++) {
                ListenerSample s = ls.get(order[rank]);
                all.add(new Candidate(n, order[rank], rank, troubled.test(s), s));
            }
        }
        all.sort(priority);
        boolean[][] keep = new boolean[namespaces.size()][];
        for (int n = 0; n < namespaces.size(); n++) {
            keep[n] = new boolean[namespaces.get(n).listeners().size()];
        }
        for (int i = 0; i < max; i++) {
            keep[all.get(i).ns()][all.get(i).index()] = true;
        }
        for (int n = 0; n < namespaces.size(); n++) {
            List<ListenerSample> ls = namespaces.get(n).listeners();
            List<ListenerSample> out = new ArrayList<>();
            for (int i = 0; i < ls.size(); i++) {
                if (keep[n][i]) {
                    out.add(ls.get(i));
                }
            }
            kept.add(out);
        }
        return kept;
    }

    private static int port(ListenerKey k) {
        if (k.port().isEmpty()) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(k.port());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static ListenerSample listener(Random random, String netns) {
        String address = ADDRESSES[random.nextInt(ADDRESSES.length)];
        boolean unix = address.startsWith("/") || address.startsWith("@");
        String port = unix
                ? ""
                : random.nextInt(3) == 0
                        ? Integer.toString(random.nextInt(65536))
                        : PORTS[1 + random.nextInt(PORTS.length - 1)];
        String family = unix ? "unix" : address.contains(":") ? "ipv6" : "ipv4";
        return ListenerSamples.listener(netns, family, address, port).build();
    }

    private static NamespaceSample namespace(Random random, String netns) {
        List<ListenerSample> ls = new ArrayList<>();
        int size = random.nextInt(4) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 4 : 25);
        for (int i = 0; i < size; i++) {
            ls.add(listener(random, netns));
        }
        if (random.nextInt(5) > 0) {
            ls.sort((a, b) -> a.key().compareTo(b.key())); // as the sampler hands them over; else any order
        }
        return new NamespaceSample(netns, new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), ls);
    }

    /** The next round: each namespace the same object, an equal copy (another list), new listeners, or gone. */
    private static List<NamespaceSample> next(Random random, List<NamespaceSample> before) {
        List<NamespaceSample> out = new ArrayList<>();
        for (NamespaceSample ns : before) {
            switch (random.nextInt(6)) {
                case 0 -> out.add(namespace(random, ns.netns()));
                case 1 ->
                    out.add(new NamespaceSample(
                            ns.netns(), ns.identity(), Map.of(), Map.of(), new ArrayList<>(ns.listeners())));
                case 2 -> {} // gone
                default -> out.add(ns);
            }
        }
        if (random.nextBoolean()) {
            out.add(random.nextInt(out.size() + 1), namespace(random, Integer.toString(1000 + random.nextInt(1000))));
        }
        return out;
    }

    @Test
    void selectsWhatTheReferenceSelectsOverManyRandomRounds() {
        Random random = new Random(20261130);
        int biting = 0;
        for (int run = 0; run < 400; run++) {
            List<NamespaceSample> namespaces = new ArrayList<>();
            int count = random.nextInt(12);
            for (int n = 0; n < count; n++) {
                namespaces.add(namespace(random, Integer.toString(n)));
            }
            int total =
                    namespaces.stream().mapToInt(ns -> ns.listeners().size()).sum();
            int max = 1 + random.nextInt(Math.max(1, total + 2));
            ListenerCap cap = new ListenerCap(max, NOPLogger.NOP_LOGGER);
            for (int round = 0; round < 6; round++) {
                double troubleRate = new double[] {0, 0.05, 0.3, 0.9}[random.nextInt(4)];
                double incumbentRate = new double[] {0, 0.5, 0.9, 1}[random.nextInt(4)];
                Set<ListenerSample> inTrouble = Collections.newSetFromMap(new IdentityHashMap<>());
                Set<ListenerKey> incumbents = new HashSet<>();
                for (NamespaceSample ns : namespaces) {
                    for (ListenerSample s : ns.listeners()) {
                        if (random.nextDouble() < troubleRate) {
                            inTrouble.add(s);
                        }
                        if (random.nextDouble() < incumbentRate) {
                            incumbents.add(s.key());
                        }
                    }
                }
                List<List<ListenerSample>> expected =
                        reference(max, namespaces, inTrouble::contains, incumbents::contains);
                List<List<ListenerSample>> actual = cap.select(namespaces, inTrouble::contains, incumbents::contains);
                String where = "run " + run + " round " + round + " max " + max;
                assertThat(actual).as(where).hasSameSizeAs(expected);
                for (int n = 0; n < expected.size(); n++) {
                    assertThat(actual.get(n)).as(where + " namespace " + n).containsExactlyElementsOf(expected.get(n));
                    for (int i = 0; i < expected.get(n).size(); i++) {
                        assertThat(actual.get(n).get(i))
                                .as(where)
                                .isSameAs(expected.get(n).get(i));
                    }
                }
                int now = namespaces.stream()
                        .mapToInt(ns -> ns.listeners().size())
                        .sum();
                assertThat(cap.dropped()).as(where).isEqualTo(Math.max(0, now - max));
                biting += now > max ? 1 : 0;
                namespaces = next(random, namespaces);
            }
        }
        assertThat(biting).as("rounds where the cap bit").isGreaterThan(1000);
    }
}
