package io.listenq.exporter.sample;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * One namespace's listeners in {@link ListenerCap}'s order: TCP ports below 1024 first, then series already exported
 * (incumbent) before new ones, then by numeric port, then by key; equal keys keep their position. Each port is parsed
 * once. The cap keeps an order from round to round while the namespace's listener list is the very same object (the
 * sampler hands an unchanged namespace back as the same object) and its incumbents are the same.
 */
final class ListenerOrder {
    /** Index bits in a packed sort word: a namespace never holds 2^29 listeners (each is a socket, an fd). */
    private static final int INDEX_BITS = 29;

    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    private final List<ListenerSample> listeners;
    /** {@link #port} of each listener, by its index in {@link #listeners}. */
    private final int[] ports;
    /** Whether each listener was incumbent when this order was computed, by index. */
    private final boolean[] incumbent;
    /** Index of the listener at each rank. */
    private final int[] byRank;
    /** Whether each listener was in trouble when last asked ({@link #markTrouble}), by rank. */
    private boolean[] troubleByRank;
    /** How many of them were. */
    private int troubles;
    /** The cap's round that last used this order (to forget namespaces that are gone). */
    long round;

    private ListenerOrder(List<ListenerSample> listeners, int[] ports, boolean[] incumbent) {
        int size = listeners.size();
        if (size > INDEX_MASK) {
            throw new IllegalArgumentException(size + " listeners in one namespace");
        }
        this.listeners = listeners;
        this.ports = ports;
        this.incumbent = incumbent;
        this.byRank = rank(listeners, ports, incumbent);
    }

    /**
     * The order of {@code listeners} with these incumbents: {@code previous} itself when it was computed for the same
     * list object and the same incumbents, else a new one (reusing {@code previous}' parsed ports for the same list).
     */
    static ListenerOrder of(List<ListenerSample> listeners, Predicate<ListenerKey> incumbent, ListenerOrder previous) {
        boolean sameList = previous != null && previous.listeners == listeners;
        if (sameList && (listeners.size() < 2 || previous.sameIncumbents(incumbent))) {
            return previous; // a single listener's order needs no incumbency
        }
        int size = listeners.size();
        boolean[] inc = new boolean[size];
        for (int i = 0; i < size; i++) {
            inc[i] = incumbent.test(listeners.get(i).key());
        }
        int[] ports = sameList ? previous.ports : new int[size];
        if (!sameList) {
            for (int i = 0; i < size; i++) {
                ports[i] = port(listeners.get(i).key());
            }
        }
        return new ListenerOrder(listeners, ports, inc);
    }

    List<ListenerSample> listeners() {
        return listeners;
    }

    int size() {
        return byRank.length;
    }

    /** Index in {@link #listeners()} of the listener at this rank. */
    int index(int rank) {
        return byRank[rank];
    }

    /** Asks {@code troubled} about every listener again and remembers the answers. */
    void markTrouble(Predicate<ListenerSample> troubled) {
        boolean[] flags = troubleByRank != null ? troubleByRank : new boolean[byRank.length];
        int count = 0;
        for (int r = 0; r < byRank.length; r++) {
            flags[r] = troubled.test(listeners.get(byRank[r]));
            if (flags[r]) {
                count++;
            }
        }
        troubleByRank = flags;
        troubles = count;
    }

    /**
     * Copies the answers of the last {@link #markTrouble} into {@code into} from {@code from}, by rank.
     *
     * @return how many listeners are in trouble
     */
    int troubleInto(boolean[] into, int from) {
        System.arraycopy(troubleByRank, 0, into, from, troubleByRank.length);
        return troubles;
    }

    private boolean sameIncumbents(Predicate<ListenerKey> test) {
        for (int i = 0; i < incumbent.length; i++) {
            if (test.test(listeners.get(i).key()) != incumbent[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sorts one packed word per listener: (not privileged, not incumbent, port as unsigned, index), then orders runs
     * of equal (privileged, incumbent, port) by key, stably (they are short: one port on several addresses).
     */
    private static int[] rank(List<ListenerSample> listeners, int[] ports, boolean[] incumbent) {
        int size = ports.length;
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
            long head = (ports[i] < 1024 ? 0L : 1L << 33)
                    | (incumbent[i] ? 0L : 1L << 32)
                    | ((long) ports[i] - Integer.MIN_VALUE);
            packed[i] = head << INDEX_BITS | i;
        }
        Arrays.sort(packed);
        int[] byRank = new int[size];
        for (int r = 0; r < size; r++) {
            byRank[r] = (int) (packed[r] & INDEX_MASK);
        }
        for (int start = 0; start < size; ) {
            int end = start + 1;
            while (end < size && packed[end] >>> INDEX_BITS == packed[start] >>> INDEX_BITS) {
                end++;
            }
            if (end - start > 1) {
                byKey(listeners, byRank, start, end);
            }
            start = end;
        }
        return byRank;
    }

    /** Stable insertion sort of byRank[from, to) by key. */
    private static void byKey(List<ListenerSample> listeners, int[] byRank, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int moving = byRank[i];
            ListenerKey key = listeners.get(moving).key();
            int j = i - 1;
            while (j >= from && listeners.get(byRank[j]).key().compareTo(key) > 0) {
                byRank[j + 1] = byRank[j];
                j--;
            }
            byRank[j + 1] = moving;
        }
    }

    /** The numeric port; unix sockets sort after every port. */
    static int port(ListenerKey k) {
        String p = k.port();
        if (p.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        if (p.length() <= 9) { // ASCII digits only, as the decoder writes them: no Character.digit per char
            int value = 0;
            for (int i = 0; i < p.length() && value >= 0; i++) {
                char c = p.charAt(i);
                value = c >= '0' && c <= '9' ? value * 10 + (c - '0') : -1;
            }
            if (value >= 0) {
                return value;
            }
        }
        try {
            return Integer.parseInt(p); // signs, other scripts' digits: what parseInt makes of them
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // cannot happen: the decoder writes decimal ports
        }
    }
}
