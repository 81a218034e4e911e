package io.listenq.exporter.http;

import static io.listenq.exporter.http.WebServerExpositionCacheTest.bytes;
import static io.listenq.exporter.testing.ListenerSamples.listener;
import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.listenq.exporter.testing.Snapshots;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large plain body asked for at most twice a round is streamed, an encode per scrape, and not kept; asked for
 * more often, it is encoded ahead and kept again. Either way a scrape gets the same bytes client_java would write.
 */
class ExpositionCacheStreamTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(snapshot(0));
    private final AtomicLong clock = new AtomicLong(1000 * SECOND);
    private final ExpositionFormatWriter text = ExpositionFormats.init().getPrometheusTextFormatWriter();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionCache cache;
    private int streamed;

    ExpositionCacheStreamTest() {
        ListenqCollector collector = new ListenqCollector(current::get, "test");
        registry.register(collector);
        cache = new ExpositionCache(
                registry,
                current::get,
                new RegistryView.Rows(collector::rows, ListenqCollector.rowFamilyNames()),
                new RequestProblems(),
                clock::get);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void twiceARoundStreamsFourTimesARoundKeeps() throws IOException {
        long t0 = clock.get();
        for (int second = 1; second <= 6; second++) {
            round(t0, second);
            for (long at : new long[] {SECOND / 4, 3 * SECOND / 4}) {
                clock.set(t0 + second * SECOND + at);
                assertThat(scrape()).as("second %d", second).isEqualTo(reference());
            }
        }
        assertThat(streamed)
                .as("streamed once the rhythm and the size were known")
                .isGreaterThanOrEqualTo(6);
        long encodings = cache.encodings();
        round(t0, 7);
        assertThat(cache.encodings())
                .as("nothing encoded ahead for a streamed kind")
                .isEqualTo(encodings);

        streamed = 0;
        for (int second = 8; second <= 14; second++) {
            round(t0, second);
            for (int q = 1; q <= 4; q++) {
                clock.set(t0 + second * SECOND + q * SECOND / 5);
                assertThat(scrape()).isEqualTo(reference());
            }
        }
        int late = streamed;
        streamed = 0;
        round(t0, 15);
        clock.set(t0 + 15 * SECOND + SECOND / 5);
        assertThat(scrape()).isEqualTo(reference());
        assertThat(streamed)
                .as("four a round: kept bytes again (streamed %d times while it adapted)", late)
                .isZero();
    }

    private void round(long t0, int second) {
        current.set(snapshot(second));
        clock.set(t0 + second * SECOND);
        cache.encodeAhead();
    }

    private String scrape() throws IOException {
        EncodedBytes body = cache.body(text, false);
        if (body == null) {
            streamed++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            cache.stream(text, out);
            return out.toString();
        }
        return new String(bytes(body)); // released there
    }

    private String reference() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.write(out, registry.scrape());
        return out.toString();
    }

    /** 400 namespaces x 10 listeners (~3.4 MB of text: more than EncodedSlot.SPARE_LIMIT); queues change each round. */
    private static Snapshot snapshot(int round) {
        List<NamespaceSample> namespaces = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            String netns = Long.toString(4026532000L + n);
            List<ListenerSample> listeners = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                listeners.add(listener(netns, "ipv4", "10.0.0." + i, "" + (8000 + i))
                        .acceptQueue((n + round) % 3)
                        .backlog(4096)
                        .drops(n)
                        .build());
            }
            namespaces.add(
                    new NamespaceSample(netns, new NetnsIdentity("", "", "", "", ""), Map.of(), Map.of(), listeners));
        }
        return Snapshots.snapshot(namespaces).timestampMillis(1_000L * round).build();
    }
}
