package io.listenq.exporter.sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** Each namespace's order, by netns, as last computed: reused while its listener list is the same object. */
    private final Map<String, ListenerOrder> orders = new HashMap<>();
    /** Counts the rounds the cap bit in, to forget the orders of namespaces that are gone. */
    private long round;

    public ListenerCap(int max, Logger log) {
        this.max = max;
        this.log = log;
    }

    /**
     * The listeners each namespace keeps, in their original order. When the cap bites: each namespace's order (see
     * {@link ListenerOrder}), then the troubled listeners, then the others, each in (rank, namespace) order, which is
     * a sweep over ranks through the namespaces still holding a listener at that rank.
     *
     * @param troubled  whether a listener is in trouble (its current sample and what the tracker remembers)
     * @param incumbent whether a series was exported in the previous round
     */
    public List<List<ListenerSample>> select(
            List<NamespaceSample> namespaces, Predicate<ListenerSample> troubled, Predicate<ListenerKey> incumbent) {
        return select(namespaces, troubled, incumbent, ns -> false);
    }

    /**
     * {@link #select(List, Predicate, Predicate)}, told which namespaces nothing could have changed for since the
     * cap last ranked them: handed in as the same object, with the tracker's memory of their series untouched since
     * (a namespace the sampler carried over in the last round). Such a namespace keeps its order and its listeners'
     * trouble as the cap last computed them, without asking {@code troubled} and {@code incumbent} again: an idle
     * round under a biting cap costs a lookup per namespace, not two per listener.
     *
     * @param unchanged whether a namespace is as it was when the cap last saw it (see above)
     */
    public List<List<ListenerSample>> select(
            List<NamespaceSample> namespaces,
            Predicate<ListenerSample> troubled,
            Predicate<ListenerKey> incumbent,
            Predicate<NamespaceSample> unchanged) {
        int count = namespaces.size();
        int total = 0;
        for (NamespaceSample ns : namespaces) {
            total += ns.listeners().size();
        }
        List<List<ListenerSample>> kept = new ArrayList<>(count);
        if (total <= max) {
            namespaces.forEach(ns -> kept.add(ns.listeners()));
            orders.clear();
            report(0, total);
            return kept;
        }
        round++;
        ListenerOrder[] byNs = new ListenerOrder[count];
        int[] offset = new int[count + 1];
        boolean[] trouble = new boolean[total]; // by offset + rank
        int troubles = 0;
        for (int n = 0; n < count; n++) {
            NamespaceSample ns = namespaces.get(n);
            ListenerOrder previous = orders.get(ns.netns());
            ListenerOrder order;
            if (previous != null && previous.listeners() == ns.listeners() && unchanged.test(ns)) {
                order = previous;
            } else {
                order = ListenerOrder.of(ns.listeners(), incumbent, previous);
                if (order != previous) {
                    orders.put(ns.netns(), order);
                }
                order.markTrouble(troubled);
            }
            order.round = round;
            byNs[n] = order;
            offset[n + 1] = offset[n] + order.size();
            troubles += order.troubleInto(trouble, offset[n]);
        }
        if (orders.size() > count) {
            orders.values().removeIf(o -> o.round != round);
        }
        boolean[] keep = new boolean[total]; // by offset + index
        if (troubles >= max) {
            sweep(byNs, offset, trouble, true, max, keep);
        } else {
            for (int n = 0; n < count; n++) {
                for (int r = 0; r < byNs[n].size(); r++) {
                    if (trouble[offset[n] + r]) {
                        keep[offset[n] + byNs[n].index(r)] = true;
                    }
                }
            }
            sweep(byNs, offset, trouble, false, max - troubles, keep);
        }
        for (int n = 0; n < count; n++) {
            kept.add(kept(byNs[n].listeners(), keep, offset[n]));
        }
        report(total - max, total);
        return kept;
    }

    /**
     * Marks in {@code keep} the first {@code budget} listeners whose trouble is {@code troubled}, in (rank,
     * namespace) order: each rank visits only the namespaces that still have a listener at it, so the whole sweep
     * costs the listeners plus the namespaces.
     */
    private static void sweep(
            ListenerOrder[] byNs, int[] offset, boolean[] trouble, boolean troubled, int budget, boolean[] keep) {
        if (budget <= 0) {
            return;
        }
        int[] active = new int[byNs.length];
        int live = 0;
        for (int n = 0; n < byNs.length; n++) {
            if (byNs[n].size() > 0) {
                active[live++] = n;
            }
        }
        for (int r = 0; live > 0; r++) {
            int still = 0;
            for (int a = 0; a < live; a++) {
                int n = active[a];
                if (r >= byNs[n].size()) {
                    continue;
                }
                active[still++] = n;
                if (trouble[offset[n] + r] == troubled) {
                    keep[offset[n] + byNs[n].index(r)] = true;
                    if (--budget == 0) {
                        return;
                    }
                }
            }
            live = still;
        }
    }

    /** The listeners {@code keep} marks (from {@code from}), in their order: the list itself when all are. */
    private static List<ListenerSample> kept(List<ListenerSample> ls, boolean[] keep, int from) {
        int size = ls.size();
        int marked = 0;
        for (int i = 0; i < size; i++) {
            if (keep[from + i]) {
                marked++;
            }
        }
        if (marked == size) {
            return ls;
        }
        List<ListenerSample> out = new ArrayList<>(marked);
        for (int i = 0; i < size; i++) {
            if (keep[from + i]) {
                out.add(ls.get(i));
            }
        }
        return out;
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
}
