package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairRingTest {
    /** The ring's pairs, first to last. */
    private static List<List<Long>> contents(PairRing r) {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(List.of(r.time(i), r.value(i)));
        }
        return out;
    }

    /** The ArrayDeque&lt;long[]&gt; PeakTracker used before, the same way. */
    private static List<List<Long>> contents(ArrayDeque<long[]> d) {
        List<List<Long>> out = new ArrayList<>();
        for (long[] p : d) {
            out.add(List.of(p[0], p[1]));
        }
        return out;
    }

    @Test
    void behavesAsAnArrayDequeOfPairsThroughWrapAroundAndGrowth() {
        Random random = new Random(42);
        PairRing ring = new PairRing();
        ArrayDeque<long[]> deque = new ArrayDeque<>(4);
        int wrapped = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            // bias towards growth early and shrinking late, so that sizes from 0 to ~60 are all visited
            if (op < (step % 20_000 < 10_000 ? 6 : 4)) {
                long t = step;
                long v = random.nextInt(100);
                ring.addLast(t, v);
                deque.addLast(new long[] {t, v});
            } else if (op < 7 && !deque.isEmpty()) {
                ring.removeFirst();
                deque.pollFirst();
                wrapped++;
            } else if (op < 9 && !deque.isEmpty()) {
                ring.removeLast();
                deque.pollLast();
            } else if (op == 9 && random.nextInt(50) == 0) {
                ring.clear();
                deque.clear();
            }
            assertThat(ring.size()).isEqualTo(deque.size());
            assertThat(ring.isEmpty()).isEqualTo(deque.isEmpty());
            if (!deque.isEmpty()) {
                assertThat(ring.firstTime()).isEqualTo(deque.peekFirst()[0]);
                assertThat(ring.firstValue()).isEqualTo(deque.peekFirst()[1]);
                assertThat(ring.lastTime()).isEqualTo(deque.peekLast()[0]);
                assertThat(ring.lastValue()).isEqualTo(deque.peekLast()[1]);
            }
            if (step % 97 == 0) {
                assertThat(contents(ring)).isEqualTo(contents(deque));
            }
        }
        assertThat(wrapped).isGreaterThan(10_000);
    }

    @Test
    void growsWhenTheHeadIsInTheMiddleOfTheArray() {
        PairRing ring = new PairRing();
        for (int i = 0; i < 4; i++) {
            ring.addLast(i, 10 * i);
        }
        ring.removeFirst();
        ring.removeFirst();
        ring.addLast(4, 40);
        ring.addLast(5, 50); // wraps: head is at pair 2 of 4
        ring.addLast(6, 60); // grows with the pairs split around the array's end
        assertThat(contents(ring))
                .containsExactly(
                        List.of(2L, 20L), List.of(3L, 30L), List.of(4L, 40L), List.of(5L, 50L), List.of(6L, 60L));
    }

    @Test
    void anEmptyRingRefusesWhatAnEmptyDequeCannotGive() {
        PairRing ring = new PairRing();
        assertThatThrownBy(ring::firstValue).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(ring::removeFirst).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(ring::removeLast).isInstanceOf(NoSuchElementException.class);
        ring.addLast(1, 2);
        assertThatThrownBy(() -> ring.time(1)).isInstanceOf(NoSuchElementException.class);
        assertThat(ring).hasToString("PairRing[1, 2]");
    }
}
