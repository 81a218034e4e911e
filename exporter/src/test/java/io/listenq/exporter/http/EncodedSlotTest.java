package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a slot keeps once its scraper has left: small bodies (gzip) stay for its return, large ones are freed. */
class EncodedSlotTest {
    private static final long S = 1_000_000_000L;
    private final Object generation = new Object();

    private EncodedSlot slotWithABurstThatEnded(int capacity) {
        EncodedSlot slot = new EncodedSlot();
        slot.rhythm.requested(0, false);
        slot.rhythm.requested(S / 100, false);
        EncodedBytes body = slot.blank();
        body.write(new byte[capacity], 0, capacity);
        slot.publish(body.sealed(generation));
        return slot;
    }

    @Test
    void aLargeBodyIsFreedWhenItsScraperIsGoneAndASmallOneKept() {
        EncodedSlot large = slotWithABurstThatEnded(EncodedSlot.SPARE_LIMIT + 1);
        EncodedSlot small = slotWithABurstThatEnded(64 * 1024);
        assertThat(large.due(generation, 5 * S, S, 0)).isFalse();
        assertThat(small.due(generation, 5 * S, S, 0)).isFalse();
        assertThat(large.acquire()).isNull();
        EncodedBytes kept = small.acquire();
        assertThat(kept).isNotNull();
        assertThat(kept.length()).isEqualTo(64 * 1024);
        kept.release();
    }

    @Test
    void aBodyStillDueIsKept() {
        EncodedSlot large = slotWithABurstThatEnded(EncodedSlot.SPARE_LIMIT + 1);
        assertThat(large.due(generation, S / 2, S, 0)).isFalse(); // due, but this generation is already encoded
        EncodedBytes kept = large.acquire();
        assertThat(kept).isNotNull();
        kept.release();
    }

    @Test
    void aBodyOfAKindScrapedOnceIsNotKeptNorEncodedAheadWhateverItsSize() {
        EncodedSlot once = new EncodedSlot();
        EncodedSlot small = new EncodedSlot();
        for (EncodedSlot slot : new EncodedSlot[] {once, small}) {
            slot.rhythm.requested(0, false); // one scrape: no rhythm yet
            EncodedBytes body = slot.blank();
            int size = slot == once ? EncodedSlot.SPARE_LIMIT + 1 : 64 * 1024;
            body.write(new byte[size], 0, size);
            slot.publish(body.sealed(generation));
        }
        Object next = new Object();
        assertThat(once.due(next, S, S, 0)).as("a large body without a rhythm").isFalse();
        assertThat(once.acquire()).isNull();
        assertThat(small.due(next, S, S, 0))
                .as("a small one neither: its encode costs the series")
                .isFalse();
        assertThat(small.acquire())
                .as("its next scrape encodes that round's bytes")
                .isNull();
        small.rhythm.requested(15 * S, false); // the second scrape: a rhythm of 15 s
        assertThat(small.due(next, 29 * S, S, 0))
                .as("encoded ahead of the third")
                .isTrue();
    }
}
