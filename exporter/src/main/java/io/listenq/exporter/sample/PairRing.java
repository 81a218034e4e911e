package io.listenq.exporter.sample;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * A double-ended queue of (time, value) pairs of longs in one primitive ring array, for {@link PeakTracker}'s
 * per-listener windows. An {@code ArrayDeque<long[]>} costs a deque, its Object[] and a long[2] per entry; an idle
 * listener's windows hold one entry each, so this starts with room for one pair (a long[2]) and doubles as needed.
 * Not thread-safe.
 */
final class PairRing {
    /** Pair i (0 = first) is at {@code pairs[2 * ((head + i) % capacity)]} (time), and the next slot (value). */
    private long[] pairs = new long[2];

    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Time of pair {@code i} (0 = first). */
    long time(int i) {
        return pairs[slot(i)];
    }

    /** Value of pair {@code i} (0 = first). */
    long value(int i) {
        return pairs[slot(i) + 1];
    }

    long firstTime() {
        return time(0);
    }

    long firstValue() {
        return value(0);
    }

    long lastTime() {
        return time(size - 1);
    }

    long lastValue() {
        return value(size - 1);
    }

    void addLast(long time, long value) {
        int capacity = pairs.length / 2;
        if (size == capacity) {
            long[] grown = new long[pairs.length * 2];
            int tail = capacity - head; // pairs from head to the array's end, then the wrapped ones
            System.arraycopy(pairs, 2 * head, grown, 0, 2 * tail);
            System.arraycopy(pairs, 0, grown, 2 * tail, 2 * head);
            pairs = grown;
            head = 0;
        }
        int at = 2 * ((head + size) % (pairs.length / 2));
        pairs[at] = time;
        pairs[at + 1] = value;
        size++;
    }

    void removeFirst() {
        requireNotEmpty();
        head = (head + 1) % (pairs.length / 2);
        size--;
    }

    void removeLast() {
        requireNotEmpty();
        size--;
    }

    /** Empties the ring; it keeps its array. */
    void clear() {
        head = 0;
        size = 0;
    }

    private int slot(int i) {
        if (i < 0 || i >= size) {
            throw new NoSuchElementException("pair " + i + " of " + size);
        }
        return 2 * ((head + i) % (pairs.length / 2));
    }

    private void requireNotEmpty() {
        if (size == 0) {
            throw new NoSuchElementException("empty");
        }
    }

    @Override
    public String toString() {
        long[] out = new long[2 * size];
        for (int i = 0; i < size; i++) {
            out[2 * i] = time(i);
            out[2 * i + 1] = value(i);
        }
        return "PairRing" + Arrays.toString(out);
    }
}
