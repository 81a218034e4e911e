package io.listenq.benchmarks.scenario;

import java.util.List;

/**
 * One benchmark setup: {@code namespaces} named namespaces ({@code lq-b-<i>}) with {@code listenersPerNamespace}
 * TCP listeners each, optionally 1 in {@code busyEvery} of them receiving a new connection every second, and
 * optionally {@code hostConnections} established loopback connections held open in the host namespace.
 *
 * @param busyEvery       0 for idle; 10 means namespaces 0, 10, 20, ... (10%) each get one connection a second
 * @param hostConnections established connections (each is two sockets, client and server side) on the host
 * @param loadTest        also run the 10-concurrent-scraper load test against /metrics
 */
record Scenario(
        String name,
        String description,
        int namespaces,
        int listenersPerNamespace,
        int busyEvery,
        int hostConnections,
        boolean loadTest) {
    Scenario {
        if (namespaces < 1 || listenersPerNamespace < 1 || busyEvery < 0 || hostConnections < 0) {
            throw new IllegalArgumentException("bad scenario " + name);
        }
    }

    /** All scenarios, in the order they run (namespaces are created cumulatively, smallest first). */
    static final List<Scenario> ALL = List.of(
            new Scenario("scrape-10000", "1 namespace x 10,000 listeners (scrape size)", 1, 10_000, 0, 0, true),
            new Scenario("idle-10", "10 namespaces x 10 listeners, idle", 10, 10, 0, 0, false),
            new Scenario("busy-10", "10 namespaces x 10 listeners, 10% get 1 connection/s", 10, 10, 10, 0, false),
            new Scenario("idle-100", "100 namespaces x 10 listeners, idle", 100, 10, 0, 0, false),
            new Scenario("busy-100", "100 namespaces x 10 listeners, 10% get 1 connection/s", 100, 10, 10, 0, false),
            new Scenario("idle-1000", "1,000 namespaces x 10 listeners, idle", 1000, 10, 0, 0, false),
            new Scenario(
                    "busy-1000", "1,000 namespaces x 10 listeners, 10% get 1 connection/s", 1000, 10, 10, 0, false),
            new Scenario(
                    "conns-1000",
                    "1,000 idle namespaces x 10 listeners + 100,000 established loopback " + "connections on the host",
                    1000,
                    10,
                    0,
                    100_000,
                    false));

    static Scenario byName(String name) {
        return ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name + "; known: "
                        + ALL.stream().map(Scenario::name).toList()));
    }

    int listeners() {
        return namespaces * listenersPerNamespace;
    }

    /** The single scrape-size namespace is named apart so that it never mixes with the lq-b-<i> ones. */
    boolean scrapeOnly() {
        return namespaces == 1 && listenersPerNamespace > 10;
    }
}
