package io.listenq.exporter.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Applies {@code --max-listeners}: which listener series a round keeps when there are more than the cap. Any local
 * user can open thousands of listeners (in the host namespace or in a namespace of their own), so the order must not
 * let them decide which real services vanish. Deterministic, in this priority:
 * <ol>
 *   <li>listeners in trouble (a non-empty or full accept queue now, or, for series already exported, a queue seen
 *       non-empty within the peak window, time spent full, or drops since the last round): what the exporter is for;
 *   <li>then round-robin over namespaces, so a flood in one namespace takes only that namespace's share; within a
 *       namespace: TCP ports below 1024 first (binding them needs CAP_NET_BIND_SERVICE below
 *       net.ipv4.ip_unprivileged_port_start, 1024 by default: net/ipv4/af_inet.c __inet_bind), then series already exported before series new this
 *       round (a flood cannot evict what was there before it), then by numeric port and address.
 * </ol>
 * Logs once when the cap starts leaving series out and once when it stops. Sampler thread only. Public only for the
 * JMH benchmark (benchmarks' {@code ListenerCapBenchmark}); the sampler is its one user.
 */
public final class ListenerCap {
    private final int max;
    private final Logger log;
    private boolean biting;
    private int dropped;

    public ListenerCap(int max, Logger log) {
        this.max = max;
        this.log = log;
    }

    /** One candidate: its namespace's position, its rank inside that namespace, and whether it is in trouble. */
    private record Candidate(int ns, int index, int rank, boolean trouble, ListenerSample sample) {}

    private static final Comparator<Candidate> PRIORITY = Comparator.comparing((Candidate c) -> !c.trouble())
            .thenComparingInt(Candidate::rank)
            .thenComparingInt(Candidate::ns);

    /**
     * The listeners each namespace keeps, in their original order.
     *
     * @param troubled  whether a listener is in trouble (its current sample and what the tracker remembers)
     * @param incumbent whether a series was exported in the previous round
     */
    public List<List<ListenerSample>> select(
            List<NamespaceSample> namespaces, Predicate<ListenerSample> troubled, Predicate<ListenerKey> incumbent) {
        int total = 0;
        for (NamespaceSample ns : namespaces) {
            total += ns.listeners().size();
        }
        List<List<ListenerSample>> kept = new ArrayList<>(namespaces.size());
        if (total <= max) {
            namespaces.forEach(ns -> kept.add(ns.listeners()));
            report(0, total);
            return kept;
        }
        List<Candidate> all = new ArrayList<>(total);
        for (int n = 0; n < namespaces.size(); n++) {
            List<ListenerSample> ls = namespaces.get(n).listeners();
            Integer[] order = new Integer[ls.size()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(
                    order,
                    Comparator.comparing((Integer i) -> !privileged(ls.get(i).key()))
                            .thenComparing(i -> !incumbent.test(ls.get(i).key()))
                            .thenComparingInt(i -> port(ls.get(i).key()))
                            .thenComparing(i -> ls.get(i).key()));
            for (int rank = 0; rank < order.length; rank++) {
                ListenerSample s = ls.get(order[rank]);
                all.add(new Candidate(n, order[rank], rank, troubled.test(s), s));
            }
        }
        all.sort(PRIORITY);
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
        report(total - max, total);
        return kept;
    }

    /** Listener series left out in the last round. */
    public int dropped() {
        return dropped;
    }

    private void report(int leftOut, int total) {
        dropped = leftOut;
        if (leftOut > 0 && !biting) {
            log.warn(
                    "--max-listeners={}: {} of {} listener series left out (kept first: listeners in trouble, then "
                            + "round-robin over namespaces, ports below 1024 and series already exported first); "
                            + "listenq_listeners_dropped says how many now",
                    max,
                    leftOut,
                    total);
        } else if (leftOut == 0 && biting) {
            log.info("--max-listeners={}: no longer limiting, all {} listener series exported", max, total);
        }
        biting = leftOut > 0;
    }

    private static boolean privileged(ListenerKey k) {
        return port(k) < 1024;
    }

    /** The numeric port; unix sockets sort after every port. */
    private static int port(ListenerKey k) {
        if (k.port().isEmpty()) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(k.port());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // cannot happen: the decoder writes decimal ports
        }
    }
}
