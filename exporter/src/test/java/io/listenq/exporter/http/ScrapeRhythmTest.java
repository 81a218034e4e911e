package io.listenq.exporter.http;

import static io.listenq.exporter.http.ScrapeRhythm.Plan.DROP;
import static io.listenq.exporter.http.ScrapeRhythm.Plan.ENCODE;
import static io.listenq.exporter.http.ScrapeRhythm.Plan.GONE;
import static io.listenq.exporter.http.ScrapeRhythm.Plan.KEEP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeRhythmTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private final ScrapeRhythm r = new ScrapeRhythm();

    @Test
    void neverAskedIsNeverEncoded() {
        assertThat(r.atRound(5 * S, S, 0)).isEqualTo(DROP);
    }

    @Test
    void aFirstScrapeIsEncodedForEveryRoundUntilForgotten() {
        r.requested(0, false);
        assertThat(r.atRound(S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(29 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(ScrapeRhythm.FORGET_AFTER_NANOS + S, S, 0)).isEqualTo(DROP);
    }

    @Test
    void aScraperEvery15sIsEncodedForTheRoundsJustBeforeItsScrape() {
        r.requested(0, false);
        r.requested(15 * S, false);
        assertThat(r.atRound(16 * S, S, 0)).isEqualTo(KEEP);
        assertThat(r.atRound(28 * S, S, 0)).isEqualTo(KEEP);
        // 1.5 s before the scrape: the next round's bytes might not be ready in time (half an interval to spare)
        assertThat(r.atRound(29 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(28 * S, S, S / 2)).isEqualTo(ENCODE); // and the time an encode takes
        assertThat(r.atRound(30 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(40 * S, S, 0)).isEqualTo(ENCODE); // a late scrape is waited for, one gap long
        assertThat(r.atRound(47 * S, S, 0)).isEqualTo(GONE); // then the scraper is taken for gone
        assertThat(r.atRound(46 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(61 * S, S, 0)).isEqualTo(DROP); // three gaps: forgotten, the bytes freed
    }

    @Test
    void aBurstOfScrapesStopsBeingEncodedARoundAfterItEnds() {
        for (long t = 0; t < 5 * S; t += 10 * MS) {
            r.requested(t, false);
        }
        assertThat(r.atRound(5 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(7 * S, S, 0)).isEqualTo(GONE);
        assertThat(r.atRound(20 * S, S, 0)).isEqualTo(GONE);
        assertThat(r.atRound(5 * S + ScrapeRhythm.FORGET_AFTER_NANOS, S, 0)).isEqualTo(DROP);
    }

    @Test
    void aScrapeThatGotOlderBytesMakesTheNextRoundEncode() {
        r.requested(0, false);
        r.requested(15 * S, false);
        r.requested(17 * S, true); // sooner than the rhythm: it got the bytes of round 15
        assertThat(r.atRound(18 * S, S, 0)).isEqualTo(ENCODE);
        assertThat(r.atRound(19 * S, S, 0)).isEqualTo(ENCODE); // the shortest gap is 2 s now
    }
}
