package io.listenq.collectors.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.testing.Captures;
import io.listenq.collectors.testing.Fuzz;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile netlink replies: mutations of the captured dumps through the reply parser (DumpReply.consume) with the
 * real decoders as sink, and mutations of single payloads straight into each decoder. Each input either decodes
 * or throws NetlinkException, within 1 s and bounded allocation.
 */
class DecoderFuzzTest {
    private static final int ITERATIONS = 3_000;
    private static final Fuzz FUZZ = new Fuzz();

    @AfterAll
    static void stop() {
        FUZZ.close();
    }

    private static byte[] capture(String name) {
        return Captures.bytes("netlink/" + name);
    }

    private static ByteBuffer buffer(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    /** The seq of the first message, so unmutated headers pass the seq check and reach the decoders. */
    private static int seq(byte[] b) {
        return b.length >= 12 ? buffer(b).getInt(8) : 0;
    }

    private static void consumeAll(byte[] dump, int seq, DumpReply.PayloadSink sink) throws NetlinkException {
        DumpReply.consume(buffer(dump), seq, InetDiag.SOCK_DIAG_BY_FAMILY, "fuzz dump", sink);
    }

    @Test
    void wholeRepliesThroughTheParserAndDecoders() throws IOException {
        record Case(byte[] bytes, DumpReply.PayloadSink sink) {}
        List<Case> cases = List.of(
                new Case(capture("tcp-listen-v4.bin"), p -> InetDiag.decodeListener(p)),
                new Case(capture("tcp-listen-v6.bin"), p -> InetDiag.decodeListener(p)),
                new Case(capture("tcp-synrecv-v4.bin"), p -> InetDiag.decodeSynRecv(p)),
                new Case(capture("unix-listen.bin"), p -> {
                    UnixDiag.socketType(p.duplicate().order(ByteOrder.nativeOrder()));
                    UnixDiag.decodeListener(p);
                }));
        int[] outcome = new int[2];
        for (int i = 0; i < ITERATIONS; i++) {
            Case c = cases.get(i % cases.size());
            int seq = seq(c.bytes());
            byte[] input = FUZZ.mutate(c.bytes());
            boolean ok = FUZZ.check(
                    "DumpReply.consume", i, input, b -> consumeAll(b, seq, c.sink()), NetlinkException.class);
            outcome[ok ? 0 : 1]++;
        }
        assertThat(outcome[0]).as("accepted").isPositive();
        assertThat(outcome[1]).as("rejected").isPositive();
    }

    @Test
    void singlePayloadsStraightIntoTheDecoders() throws IOException {
        List<byte[]> tcp = payloads("tcp-listen-v4.bin");
        tcp.addAll(payloads("tcp-listen-v6.bin"));
        List<byte[]> syn = payloads("tcp-synrecv-v4.bin");
        List<byte[]> unix = payloads("unix-listen.bin");
        assertThat(tcp).isNotEmpty();
        assertThat(syn).isNotEmpty();
        assertThat(unix).isNotEmpty();
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] t = FUZZ.mutate(tcp.get(i % tcp.size()));
            byte[] s = FUZZ.mutate(syn.get(i % syn.size()));
            byte[] u = FUZZ.mutate(unix.get(i % unix.size()));
            rejected += FUZZ.check(
                            "InetDiag.decodeListener",
                            i,
                            t,
                            b -> InetDiag.decodeListener(buffer(b)),
                            NetlinkException.class)
                    ? 0
                    : 1;
            rejected += FUZZ.check(
                            "InetDiag.decodeSynRecv",
                            i,
                            s,
                            b -> InetDiag.decodeSynRecv(buffer(b)),
                            NetlinkException.class)
                    ? 0
                    : 1;
            rejected += FUZZ.check(
                            "UnixDiag.decodeListener",
                            i,
                            u,
                            b -> UnixDiag.decodeListener(buffer(b)),
                            NetlinkException.class)
                    ? 0
                    : 1;
        }
        assertThat(rejected).isPositive();
    }

    private static List<byte[]> payloads(String name) throws IOException {
        byte[] dump = capture(name);
        List<byte[]> out = new ArrayList<>();
        consumeAll(dump, seq(dump), p -> {
            byte[] b = new byte[p.remaining()];
            p.duplicate().get(b);
            out.add(b);
        });
        return out;
    }
}
