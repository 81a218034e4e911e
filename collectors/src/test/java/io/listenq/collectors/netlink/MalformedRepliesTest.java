package io.listenq.collectors.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed and error replies: each one a NetlinkException with context, never a hang. */
@Timeout(5)
class MalformedRepliesTest {
    private static final int SEQ = 7;

    private static ByteBuffer message(int type, int seq, int payloadLength) {
        ByteBuffer b =
                ByteBuffer.allocate(NetlinkMessage.align(16 + payloadLength)).order(ByteOrder.nativeOrder());
        b.putInt(0, 16 + payloadLength)
                .putShort(4, (short) type)
                .putShort(6, (short) 2)
                .putInt(8, seq)
                .putInt(12, 99);
        return b;
    }

    private static boolean consume(ByteBuffer datagram, List<ByteBuffer> payloads) throws NetlinkException {
        return DumpReply.consume(datagram, SEQ, InetDiag.SOCK_DIAG_BY_FAMILY, "test dump", p -> payloads.add(p));
    }

    @Test
    void truncatedHeader() {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.nativeOrder());
        assertThatThrownBy(() -> NetlinkMessage.next(b, "test dump"))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("test dump")
                .hasMessageContaining("truncated nlmsghdr at offset 0")
                .hasMessageContaining("10 bytes left");
    }

    @Test
    void lengthBeyondBuffer() {
        ByteBuffer b = message(20, SEQ, 24);
        b.putInt(0, 100);
        assertThatThrownBy(() -> NetlinkMessage.next(b, "test dump"))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("bad nlmsg_len 100 at offset 0")
                .hasMessageContaining("16..40");
    }

    @Test
    void lengthBelowHeader() {
        ByteBuffer b = message(20, SEQ, 24);
        b.putInt(0, 8);
        assertThatThrownBy(() -> NetlinkMessage.next(b, "test dump"))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("bad nlmsg_len 8");
    }

    @Test
    void secondMessageTruncatedReportsItsOffset() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        b.put(0, message(20, SEQ, 8), 0, 24).putInt(24, 0xffff_fff0);
        assertThatThrownBy(() -> NetlinkMessage.parseAll(b, "test dump"))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("at offset 24");
    }

    @Test
    void errorMessageCarriesErrno() throws NetlinkException {
        ByteBuffer b = message(NetlinkMessage.NLMSG_ERROR, SEQ, 20);
        b.putInt(16, -13).putInt(20, 72).putShort(24, (short) 20).putInt(28, SEQ);
        NetlinkMessage.Error parsed =
                (NetlinkMessage.Error) NetlinkMessage.next(b.duplicate().order(ByteOrder.nativeOrder()), "t");
        assertThat(parsed.errno()).isEqualTo(13);
        assertThat(parsed.requestType()).isEqualTo(20);
        assertThat(parsed.requestSeq()).isEqualTo(SEQ);
        assertThatThrownBy(() -> consume(b, new ArrayList<>()))
                .isInstanceOfSatisfying(
                        NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(13))
                .hasMessageContaining("test dump: NLMSG_ERROR")
                .hasMessageContaining("errno 13");
    }

    @Test
    void doneWithNegativeErrno() {
        ByteBuffer b = message(NetlinkMessage.NLMSG_DONE, SEQ, 4);
        b.putInt(16, -2);
        assertThatThrownBy(() -> consume(b, new ArrayList<>()))
                .isInstanceOfSatisfying(
                        NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(2))
                .hasMessageContaining("NLMSG_DONE with error")
                .hasMessageContaining("errno 2");
    }

    @Test
    void doneWithZeroEndsDumpAfterData() throws NetlinkException {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.nativeOrder());
        b.put(0, message(20, SEQ, 8), 0, 24).put(24, message(NetlinkMessage.NLMSG_DONE, SEQ, 4), 0, 20);
        List<ByteBuffer> payloads = new ArrayList<>();
        assertThat(consume(b, payloads)).isTrue();
        assertThat(payloads)
                .singleElement()
                .satisfies(p -> assertThat(p.limit()).isEqualTo(8));
    }

    @Test
    void unexpectedSeq() {
        ByteBuffer b = message(20, SEQ + 5, 8);
        assertThatThrownBy(() -> consume(b, new ArrayList<>()))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("unexpected seq 12 at offset 0, expected 7");
    }

    @Test
    void staleSeqFromEarlierDumpIsSkipped() throws NetlinkException {
        List<ByteBuffer> payloads = new ArrayList<>();
        assertThat(consume(message(20, SEQ - 1, 8), payloads)).isFalse();
        assertThat(payloads).isEmpty();
    }

    @Test
    void payloadTooShortForInetDiagMsg() {
        ByteBuffer b = message(20, SEQ, 40);
        assertThatThrownBy(() -> DumpReply.consume(
                        b, SEQ, InetDiag.SOCK_DIAG_BY_FAMILY, "tcp LISTEN AF_INET dump", InetDiag::decodeListener))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("tcp LISTEN AF_INET dump: message at offset 0")
                .hasMessageContaining("payload 40 bytes, need 72");
        ByteBuffer payload = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        assertThatThrownBy(() -> InetDiag.decodeListener(payload))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("payload 40 bytes, need 72");
    }

    /** The first listener of the captured v4 dump, as a standalone payload we can corrupt. */
    private static ByteBuffer capturedListenerPayload() throws Exception {
        ByteBuffer reply = CapturedRepliesTest.resource("tcp-listen-v4.bin");
        NetlinkMessage.Data data = (NetlinkMessage.Data) NetlinkMessage.next(reply, "capture");
        ByteBuffer copy = ByteBuffer.allocate(data.payload().limit()).order(ByteOrder.nativeOrder());
        copy.put(0, data.payload(), 0, data.payload().limit());
        return copy;
    }

    @Test
    void attributeLengthOverflow() throws Exception {
        ByteBuffer p = capturedListenerPayload();
        InetDiag.decodeListener(p); // intact: decodes
        p.putShort(InetDiag.MSG_LENGTH, (short) 0x7fff);
        assertThatThrownBy(() -> InetDiag.decodeListener(p))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("bad nla_len 32767")
                .hasMessageContaining("at payload offset 72");
    }

    @Test
    void zeroLengthAttributeDoesNotLoop() throws Exception {
        ByteBuffer p = capturedListenerPayload();
        p.putShort(InetDiag.MSG_LENGTH, (short) 0);
        assertThatThrownBy(() -> InetDiag.decodeListener(p))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("bad nla_len 0");
        ByteBuffer unix = ByteBuffer.allocate(UnixDiag.MSG_LENGTH + 8).order(ByteOrder.nativeOrder());
        unix.put(0, (byte) Native.AF_UNIX).putShort(UnixDiag.MSG_LENGTH, (short) 0);
        assertThatThrownBy(() -> UnixDiag.decodeListener(unix))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("bad nla_len 0");
    }

    @Test
    void missingSkmeminfoIsAnError() throws Exception {
        ByteBuffer p = capturedListenerPayload().limit(InetDiag.MSG_LENGTH);
        assertThatThrownBy(() -> InetDiag.decodeListener(p))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("no INET_DIAG_SKMEMINFO");
    }

    @Test
    void aSkmeminfoTooShortForDropsLeavesThemUnknownNotZero() throws Exception {
        // a kernel from before SK_MEMINFO_DROPS sends 8 u32s (sock_diag.h had SK_MEMINFO_BACKLOG as the last)
        ByteBuffer intact = capturedListenerPayload();
        ByteBuffer p = ByteBuffer.allocate(InetDiag.MSG_LENGTH + 4 + 8 * 4).order(ByteOrder.nativeOrder());
        p.put(0, intact, 0, InetDiag.MSG_LENGTH);
        p.putShort(InetDiag.MSG_LENGTH, (short) (4 + 8 * 4))
                .putShort(InetDiag.MSG_LENGTH + 2, (short) InetDiag.INET_DIAG_SKMEMINFO);
        assertThat(InetDiag.decodeListener(p).drops()).isEmpty();
        assertThat(InetDiag.decodeListener(intact).drops()).isPresent();
    }

    @Test
    void aReplyWithoutCgroupIdLeavesTheOwnerUnknownNotZero() throws Exception {
        // a kernel before 5.7, or without CONFIG_SOCK_CGROUP_DATA, sends no INET_DIAG_CGROUP_ID (docs/kernel.md §2)
        ByteBuffer intact = capturedListenerPayload();
        int skmeminfo = 4 + 9 * 4; // up to SK_MEMINFO_DROPS
        ByteBuffer p = ByteBuffer.allocate(InetDiag.MSG_LENGTH + skmeminfo).order(ByteOrder.nativeOrder());
        p.put(0, intact, 0, InetDiag.MSG_LENGTH);
        p.putShort(InetDiag.MSG_LENGTH, (short) skmeminfo)
                .putShort(InetDiag.MSG_LENGTH + 2, (short) InetDiag.INET_DIAG_SKMEMINFO);
        assertThat(InetDiag.decodeListener(p).drops()).hasValue(0);
        assertThat(InetDiag.decodeListener(p).cgroupId()).isEmpty();
        assertThat(InetDiag.decodeListener(intact).cgroupId()).isPresent();
    }

    @Test
    void listenersOfOneCgroupShareTheirIdAndOthersKeepTheirOwn() throws Exception {
        ByteBuffer intact = capturedListenerPayload();
        int skmeminfo = 4 + 9 * 4;
        ByteBuffer other =
                ByteBuffer.allocate(InetDiag.MSG_LENGTH + skmeminfo + 12).order(ByteOrder.nativeOrder());
        other.put(0, intact, 0, InetDiag.MSG_LENGTH);
        other.putShort(InetDiag.MSG_LENGTH, (short) skmeminfo)
                .putShort(InetDiag.MSG_LENGTH + 2, (short) InetDiag.INET_DIAG_SKMEMINFO);
        int at = InetDiag.MSG_LENGTH + skmeminfo;
        other.putShort(at, (short) 12)
                .putShort(at + 2, (short) InetDiag.INET_DIAG_CGROUP_ID)
                .putLong(at + 4, 42);

        OptionalLong first = InetDiag.decodeListener(intact).cgroupId();
        assertThat(first).isPresent();
        assertThat(InetDiag.decodeListener(intact).cgroupId()).isSameAs(first);
        assertThat(InetDiag.decodeListener(other).cgroupId()).hasValue(42);
        assertThat(InetDiag.decodeListener(intact).cgroupId()).isEqualTo(first);
    }

    @Test
    void decodeErrorInsideDumpNamesDumpAndOffset() throws Exception {
        ByteBuffer reply = CapturedRepliesTest.resource("tcp-listen-v4.bin");
        reply.putShort(16 + InetDiag.MSG_LENGTH, (short) 2); // first attribute of the first message
        assertThatThrownBy(() -> DumpReply.consume(
                        reply,
                        reply.getInt(8),
                        InetDiag.SOCK_DIAG_BY_FAMILY,
                        "tcp LISTEN AF_INET dump",
                        InetDiag::decodeListener))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining(
                        "tcp LISTEN AF_INET dump: message at offset 0 of a " + reply.limit() + "-byte datagram")
                .hasMessageContaining("bad nla_len 2");
    }
}
