package io.listenq.exporter.sample;

import io.listenq.collectors.netlink.SynRecv;
import io.listenq.collectors.netlink.TcpListener;
import io.listenq.collectors.netlink.UnixListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Turns one namespace's dumped sockets into listener series: SO_REUSEPORT sockets sharing an address become one
 * series (lengths, backlogs and drops summed, full when any member is full), and SYN-RECV request sockets are
 * counted against the listener the kernel would have chosen (the exact address, else the wildcard one).
 */
final class ListenerGroups {
    private ListenerGroups() {}

    /** Mutable sums for one series while grouping. */
    private static final class Sum {
        long acceptQueue;
        long backlog;
        long drops;
        /** Some member's drop count is unknown: then the sum is too. */
        boolean dropsUnknown;

        boolean full;
        int sockets;
        OptionalLong synQueue = OptionalLong.empty();
        OptionalLong cgroupId = OptionalLong.empty();
    }

    static Map<ListenerKey, Long> countSynRecv(String netns, List<TcpListener> listeners, List<SynRecv> requests) {
        Map<ListenerKey, Long> counts = new HashMap<>();
        if (requests.isEmpty()) {
            return counts;
        }
        // index listeners by family and port; request sockets carry no inode (docs/kernel.md §3)
        Map<Long, List<TcpListener>> byPort = new HashMap<>();
        for (TcpListener l : listeners) {
            byPort.computeIfAbsent(familyPort(l.family(), l.port()), k -> new ArrayList<>(2))
                    .add(l);
        }
        for (SynRecv r : requests) {
            List<TcpListener> candidates = byPort.getOrDefault(familyPort(r.family(), r.port()), List.of());
            TcpListener chosen = null;
            for (TcpListener l : candidates) {
                if (l.address().equals(r.address())) {
                    chosen = l;
                    break;
                }
                if (chosen == null && l.address().isAnyLocalAddress()) {
                    chosen = l;
                }
            }
            if (chosen != null) {
                counts.merge(key(netns, chosen), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * The namespace's series, sorted by key. A series equal to one of {@code previous} is that object itself, and a
     * changed one keeps its key object: the sampler holds a round's samples until the next round, and the peak
     * tracker (keyed by the first key seen) the latest one, so new equal objects would be kept twice over.
     *
     * @param synCounts SYN-RECV counts by series, or null when unknown this round (the series then have none)
     * @param previous  the series this made last time for the namespace (sorted by key), or an empty list
     */
    static List<ListenerSample> group(
            String netns,
            List<TcpListener> tcp,
            Map<ListenerKey, Long> synCounts,
            List<UnixListener> unix,
            List<ListenerSample> previous) {
        Map<ListenerKey, Sum> sums = new TreeMap<>();
        for (TcpListener l : tcp) {
            Sum s = sums.computeIfAbsent(keptKey(netns, l), k -> new Sum());
            s.acceptQueue += l.acceptQueue();
            s.backlog += l.backlog();
            l.drops().ifPresentOrElse(d -> s.drops += d, () -> s.dropsUnknown = true);
            s.full |= l.acceptQueueFull();
            if (s.sockets++ == 0) {
                s.cgroupId = l.cgroupId();
            }
        }
        if (synCounts != null) {
            for (Map.Entry<ListenerKey, Sum> e : sums.entrySet()) {
                e.getValue().synQueue = ListenerSample.count(synCounts.getOrDefault(e.getKey(), 0L));
            }
        }
        for (UnixListener u : unix) {
            Sum s = sums.computeIfAbsent(new ListenerKey(netns, "unix", u.path(), ""), k -> new Sum());
            s.acceptQueue += u.pending();
            s.backlog += u.backlog();
            s.dropsUnknown = true; // unix sockets have no such count
            s.full |= u.pending() > u.backlog();
            s.sockets++;
        }
        List<ListenerSample> out = new ArrayList<>(sums.size());
        int p = 0;
        for (Map.Entry<ListenerKey, Sum> e : sums.entrySet()) {
            Sum s = e.getValue();
            ListenerKey key = e.getKey();
            while (p < previous.size() && previous.get(p).key().compareTo(key) < 0) {
                p++;
            }
            ListenerSample before = p < previous.size() && previous.get(p).key().equals(key) ? previous.get(p) : null;
            ListenerSample now = new ListenerSample(
                    before == null ? key : before.key(),
                    s.acceptQueue,
                    s.backlog,
                    s.full,
                    s.dropsUnknown ? OptionalLong.empty() : ListenerSample.count(s.drops),
                    s.synQueue,
                    s.sockets,
                    s.acceptQueue,
                    0,
                    s.cgroupId,
                    s.dropsUnknown ? OptionalDouble.empty() : ListenerSample.rate(0));
            out.add(now.equals(before) ? before : now);
        }
        return out;
    }

    static ListenerKey key(String netns, TcpListener l) {
        return new ListenerKey(netns, l.familyName(), l.addressText(), Integer.toString(l.port()));
    }

    /**
     * {@link #key}, with the address and port text interned: the sampler keeps a key per series, and across
     * namespaces most are the same few ports ({@code 8080}) and addresses ({@code 0.0.0.0}), one string each then
     * (the JVM's string table holds them weakly). Once per listener of a dump; not per SYN-RECV request.
     */
    private static ListenerKey keptKey(String netns, TcpListener l) {
        return new ListenerKey(
                netns,
                l.familyName(),
                l.addressText().intern(),
                Integer.toString(l.port()).intern());
    }

    private static long familyPort(int family, int port) {
        return ((long) family << 16) | port;
    }
}
