package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** A body in chunks: written and sent whole, and reused only once no scrape sends it. */
class EncodedBytesTest {
    private final Object generation = new Object();

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] sent(EncodedBytes body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void writesAcrossChunksAreSentWhole() throws IOException {
        EncodedBytes body = new EncodedBytes();
        byte[] a = random(EncodedBytes.CHUNK - 3);
        byte[] b = random(3 * EncodedBytes.CHUNK + 17);
        body.write(a, 0, a.length);
        body.write(7);
        body.write(b, 0, b.length);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(7);
        expected.write(b);
        assertThat(body.length()).isEqualTo(expected.size());
        assertThat(sent(body)).isEqualTo(expected.toByteArray());
        assertThat(body.capacity()).isEqualTo(5 * EncodedBytes.CHUNK);
    }

    @Test
    void gzipDeflatesAcrossChunks() throws IOException {
        byte[] text = random(300_000); // incompressible: the gzip body spans several chunks
        EncodedBytes body = new EncodedBytes();
        GzipSink z = new GzipSink();
        try {
            z.open(body).write(text, 0, text.length);
            z.finish();
        } finally {
            z.end();
        }
        assertThat(body.length()).isGreaterThan(2 * EncodedBytes.CHUNK);
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(sent(body)))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }

    @Test
    void aReplacedBodyIsReusedOnlyOnceItsLastScrapeIsDone() {
        EncodedSlot slot = new EncodedSlot();
        EncodedBytes first = slot.blank();
        first.write(random(100_000), 0, 100_000);
        slot.publish(first.sealed(generation));
        EncodedBytes scrape = slot.acquire();
        assertThat(scrape).isSameAs(first);

        EncodedBytes second = slot.blank();
        assertThat(second).isNotSameAs(first);
        second.write(1);
        slot.publish(second.sealed(generation));
        assertThat(slot.blank()).as("still being sent").isNotSameAs(first);

        scrape.release();
        EncodedBytes third = slot.blank();
        assertThat(third).as("free now").isSameAs(first);
        assertThat(third.length()).isZero();
        assertThat(third.tryAcquire()).as("not acquirable while rewritten").isFalse();
        assertThat(third.capacity()).isEqualTo(2 * EncodedBytes.CHUNK);
    }

    @Test
    void aBodyReplacedWhileNobodySendsItIsReusedAtOnce() {
        EncodedSlot slot = new EncodedSlot();
        EncodedBytes first = slot.blank();
        first.write(1);
        slot.publish(first.sealed(generation));
        EncodedBytes second = slot.blank();
        slot.publish(second.sealed(generation));
        assertThat(slot.blank()).isSameAs(first);
    }
}
