package io.listenq.exporter.http;

import static io.listenq.exporter.http.WebServerExpositionCacheTest.bytes;
import static io.listenq.exporter.http.WebServerExpositionCacheTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exposition encoded ahead by the sampler: scrapes never wait for an encode and get the latest complete bytes. */
class ExpositionCacheAheadTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String OVERFLOWS = "listenq_listen_overflows_total{netns=\"4026531840\"} ";

    private final AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(1));
    private final AtomicLong clock = new AtomicLong(1000 * SECOND);
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final ExpositionFormatWriter text = formats.getPrometheusTextFormatWriter();
    private final ExpositionFormatWriter openMetrics = formats.getOpenMetricsTextFormatWriter();
    private final Gate gate = new Gate();
    private final ExpositionCache cache = cache();

    private ExpositionCache cache() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(current::get, "test"));
        registry.register(gate);
        return new ExpositionCache(registry, current::get, new RequestProblems(), clock::get);
    }

    @AfterEach
    void close() {
        gate.open();
        cache.close();
    }

    @Test
    void aScrapeDuringASlowEncodeGetsThePreviousBytesAtOnce() throws Exception {
        assertThat(scrape(text, false)).contains(OVERFLOWS + "1.0");
        scrape(text, false); // a second scrape: a rhythm (one scrape tells none, and is not encoded ahead for)
        cache.encodeAhead(); // round 1 was encoded on demand: nothing to do, but from now on the sampler encodes

        current.set(snapshot(2));
        gate.close();
        Thread sampler = Thread.ofPlatform().start(cache::encodeAhead);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the encode of round 2 is stuck

        long start = System.nanoTime();
        String during = scrape(text, false);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(during).contains(OVERFLOWS + "1.0");
        assertThat(tookMillis).isLessThan(2_000); // the encode stays stuck until the gate opens
        assertThat(sampler.isAlive()).isTrue();

        gate.open();
        sampler.join(10_000);
        assertThat(scrape(text, false)).contains(OVERFLOWS + "2.0");
    }

    @Test
    void oneEncodeAheadFeedsPlainAndGzipOfAFormatAndTheGzipIsThePlainCompressed() throws Exception {
        for (int i = 0; i < 2; i++) { // two scrapes of each kind: a rhythm for both
            scrape(openMetrics, false);
            scrape(openMetrics, true);
        }
        long encoded = cache.encodings();
        current.set(snapshot(7));
        cache.encodeAhead();
        assertThat(cache.encodings() - encoded).isEqualTo(1);
        assertThat(cache.compressions()).isEqualTo(2); // the on-demand gzip body and this one
        String plain = scrape(openMetrics, false);
        assertThat(plain)
                .contains(OVERFLOWS.replace("listenq", "listenq") + "7.0")
                .endsWith("# EOF\n");
        assertThat(gunzip(raw(openMetrics, true))).isEqualTo(plain);
        assertThat(cache.encodings() - encoded).isEqualTo(1); // both scrapes only copied bytes
    }

    @Test
    void aScraperEvery15sIsEncodedForOnlyTheRoundsBeforeItsScrapeAndAlwaysGetsTheLatestRound() throws Exception {
        long t0 = clock.get();
        scrape(openMetrics, true);
        long encodedBefore = 0;
        for (int second = 1; second <= 90; second++) {
            current.set(snapshot(second));
            clock.set(t0 + second * SECOND);
            cache.encodeAhead();
            if (second % 15 == 0) {
                clock.set(t0 + second * SECOND + SECOND / 2);
                assertThat(gunzip(raw(openMetrics, true)))
                        .as("second %d", second)
                        .contains(OVERFLOWS + second + ".0");
            }
            if (second == 30) {
                encodedBefore = cache.encodings();
            }
        }
        // 4 scrapes after the rhythm was learnt: the two rounds before each, not 60
        assertThat(cache.encodings() - encodedBefore).isBetween(4L, 8L);
    }

    @Test
    void aScrapeSoonerThanTheRhythmGetsTheLastEncodedRoundAndTheNextRoundEncodes() throws Exception {
        long t0 = clock.get();
        for (int second = 0; second <= 30; second++) {
            current.set(snapshot(second));
            clock.set(t0 + second * SECOND);
            cache.encodeAhead();
            if (second % 15 == 0) {
                scrape(text, false);
            }
        }
        current.set(snapshot(31));
        clock.set(t0 + 31 * SECOND);
        cache.encodeAhead();
        assertThat(scrape(text, false)).contains(OVERFLOWS + "30.0"); // due in 14 s: round 31 was not encoded
        current.set(snapshot(32));
        clock.set(t0 + 32 * SECOND);
        cache.encodeAhead();
        assertThat(scrape(text, false)).contains(OVERFLOWS + "32.0");
    }

    @Test
    void theReplacedBytesAreReusedOnlyOnceNoScrapeSendsThem() throws Exception {
        scrape(text, false);
        cache.encodeAhead();
        EncodedBytes held = advanceAndAcquire(2); // a slow client still sending round 2
        String heldText = new String(bytes(acquireAndKeep(held)), StandardCharsets.UTF_8);
        EncodedBytes third = advanceAndAcquire(3);
        third.release();
        EncodedBytes fourth = advanceAndAcquire(4); // round 2's array is busy: a new one
        fourth.release();
        assertThat(fourth).isNotSameAs(held);
        assertThat(new String(bytes(acquireAndKeep(held)), StandardCharsets.UTF_8))
                .isEqualTo(heldText)
                .contains(OVERFLOWS + "2.0");
        held.release();
        EncodedBytes fifth = advanceAndAcquire(5); // round 3's array, released: reused
        fifth.release();
        assertThat(fifth).isSameAs(third);
        assertThat(scrape(text, false)).contains(OVERFLOWS + "5.0");
    }

    @Test
    void aKindNobodyAsksForIsFreedAndEncodedOnDemandAgain() throws Exception {
        scrape(text, true);
        advanceAndAcquire(2).release();
        long encoded = cache.encodings();
        clock.addAndGet(ScrapeRhythm.FORGET_AFTER_NANOS + SECOND);
        current.set(snapshot(3));
        cache.encodeAhead();
        assertThat(cache.encodings()).isEqualTo(encoded); // forgotten: neither encoded nor kept
        assertThat(gunzip(raw(text, true))).contains(OVERFLOWS + "3.0");
        assertThat(cache.encodings()).isEqualTo(encoded + 1);
    }

    private EncodedBytes advanceAndAcquire(long round) throws IOException {
        current.set(snapshot(round));
        clock.addAndGet(SECOND);
        cache.encodeAhead();
        return cache.body(text, false);
    }

    private static EncodedBytes acquireAndKeep(EncodedBytes b) {
        assertThat(b.tryAcquire()).isTrue();
        return b;
    }

    private String scrape(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        byte[] b = raw(writer, gzip);
        return gzip ? gunzip(b) : new String(b, StandardCharsets.UTF_8);
    }

    private byte[] raw(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        return bytes(cache.body(writer, gzip));
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A collector that, when closed, holds every registry scrape until opened: an encode made slow at will. */
    private static final class Gate implements MultiCollector {
        final CountDownLatch entered = new CountDownLatch(1);
        private volatile CountDownLatch open = new CountDownLatch(0);

        void close() {
            open = new CountDownLatch(1);
        }

        void open() {
            open.countDown();
        }

        @Override
        public MetricSnapshots collect() {
            entered.countDown();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MetricSnapshots.builder().build();
        }
    }
}
