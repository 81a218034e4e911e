package io.listenq.benchmarks.scenario;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark setup: {@code namespaces} named namespaces ({@code lq-b-<i>}) with {@code listenersPerNamespace}
 * TCP listeners each, optionally 1 in {@code busyEvery} of them receiving a new connection every second, and
 * optionally {@code hostConnections} established loopback connections held open in the host namespace, which is
 * then sampled too.
 *
 * @param busyEvery       0 for idle; 10 means namespaces 0, 10, 20, ... (10%) each get one connection a second
 * @param hostConnections established connections (each is two sockets, client and server side) on the host; when
 *                        not 0 the exporter samples the host namespace as well
 * @param troubled        namespace lq-b-0 also holds a full accept queue and SYN-RECV requests ({@link Lab#startTrouble})
 * @param loadTest        also run the 10-concurrent-scraper load tests against /metrics
 */
record Scenario(
        String name,
        String description,
        int namespaces,
        int listenersPerNamespace,
        int busyEvery,
        int hostConnections,
        boolean troubled,
        boolean loadTest) {
    Scenario {
        if (namespaces < 1 || listenersPerNamespace < 1 || busyEvery < 0 || hostConnections < 0) {
            throw new IllegalArgumentException("bad scenario " + name);
        }
    }

    /** All scenarios of a default run, in order (namespaces are created cumulatively, smallest first). */
    static final List<Scenario> ALL = List.of(
            new Scenario("scrape-10000", "1 namespace x 10,000 listeners (scrape size)", 1, 10_000, 0, 0, false, true),
            idle(10),
            busy(10),
            idle(100),
            busy(100),
            idle(200),
            idle(1000),
            busy(1000),
            conns(1000));

    private static final Pattern SIZED = Pattern.compile("(idle|busy|conns)-([1-9][0-9]{0,3})");

    private static Scenario idle(int n) {
        return new Scenario(
                "idle-" + n,
                String.format(Locale.ROOT, "%,d namespaces x 10 listeners, idle", n),
                n,
                10,
                0,
                0,
                false,
                false);
    }

    private static Scenario busy(int n) {
        return new Scenario(
                "busy-" + n,
                String.format(Locale.ROOT, "%,d namespaces x 10 listeners, 10%% get 1 connection/s", n),
                n,
                10,
                10,
                0,
                false,
                false);
    }

    private static Scenario conns(int n) {
        return new Scenario(
                "conns-" + n,
                String.format(
                        Locale.ROOT,
                        "%,d idle namespaces x 10 listeners + the host namespace holding 100,000 established loopback "
                                + "connections + lq-b-0 in trouble (full accept queue, SYN-RECV requests)",
                        n),
                n,
                10,
                0,
                100_000,
                true,
                false);
    }

    /** A scenario of {@link #ALL}, or idle-N, busy-N, conns-N for another N (1-9999), for trying things out. */
    static Scenario byName(String name) {
        Matcher m = SIZED.matcher(name);
        return ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .or(() -> !m.matches()
                        ? Optional.empty()
                        : Optional.of(
                                switch (m.group(1)) {
                                    case "idle" -> idle(Integer.parseInt(m.group(2)));
                                    case "busy" -> busy(Integer.parseInt(m.group(2)));
                                    default -> conns(Integer.parseInt(m.group(2)));
                                }))
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name + "; known: "
                        + ALL.stream().map(Scenario::name).toList() + ", idle-N, busy-N, conns-N and " + Soak.NAME));
    }

    /** The order scenarios run in: namespaces grow, and the host connections (slow to go) come last. */
    static final Comparator<Scenario> ORDER = Comparator.comparing(Scenario::hostConnections)
            .thenComparing(Scenario::namespaces)
            .thenComparing(Scenario::busyEvery);

    int listeners() {
        return namespaces * listenersPerNamespace;
    }

    boolean includesHost() {
        return hostConnections > 0;
    }

    /** The namespaces the exporter samples: the scenario's, and the host's when it is included. */
    int sampledNamespaces() {
        return namespaces + (includesHost() ? 1 : 0);
    }

    /** The single scrape-size namespace is named apart so that it never mixes with the lq-b-<i> ones. */
    boolean scrapeOnly() {
        return namespaces == 1 && listenersPerNamespace > 10;
    }
}
