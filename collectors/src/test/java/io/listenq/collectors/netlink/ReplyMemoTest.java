package io.listenq.collectors.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reply is decoded only when its bytes differ from the last complete one's, nlmsg_seq aside. */
class ReplyMemoTest {
    /** One data message (SOCK_DIAG_BY_FAMILY, 8 payload bytes, the first {@code value}) per datagram. */
    private static ByteBuffer data(int seq, int value) {
        ByteBuffer b = header(24, InetDiag.SOCK_DIAG_BY_FAMILY, seq);
        return b.putInt(16, value).putInt(20, 0);
    }

    private static ByteBuffer done(int seq) {
        return header(20, NetlinkMessage.NLMSG_DONE, seq).putInt(16, 0);
    }

    private static ByteBuffer header(int length, int type, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        return b.putInt(0, length)
                .putShort(4, (short) type)
                .putShort(6, (short) 2)
                .putInt(8, seq)
                .putInt(12, 99);
    }

    /** One dump of {@code datagrams}: the list it gives and whether it was decoded. */
    private static List<Integer> dump(ReplyMemo<Integer> memo, int seq, ByteBuffer... datagrams) throws Exception {
        for (int i = 0; i < datagrams.length; i++) {
            assertThat(memo.stage(datagrams[i], seq))
                    .as("datagram %d ends the reply", i)
                    .isEqualTo(i == datagrams.length - 1);
        }
        boolean unchanged = memo.unchanged(seq);
        if (!unchanged) {
            assertThat(memo.decode(seq, InetDiag.SOCK_DIAG_BY_FAMILY, "test dump", p -> memo.add(p.getInt(0))))
                    .isTrue();
        }
        return memo.result(unchanged);
    }

    @Test
    void theSameBytesUnderANewSeqGiveTheSameList() throws Exception {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        List<Integer> first = dump(memo, 1, data(1, 5), done(1));
        assertThat(first).containsExactly(5);
        assertThat(dump(memo, 2, data(2, 5), done(2))).isSameAs(first);
        List<Integer> changed = dump(memo, 3, data(3, 6), done(3));
        assertThat(changed).containsExactly(6);
        assertThat(dump(memo, 4, data(4, 6), done(4))).isSameAs(changed);
    }

    @Test
    void anEmptyReplyIsOneDatagram() throws Exception {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        List<Integer> empty = dump(memo, 1, done(1));
        assertThat(empty).isEmpty();
        assertThat(dump(memo, 2, done(2))).isSameAs(empty);
        assertThat(dump(memo, 3, data(3, 1), done(3))).containsExactly(1);
    }

    @Test
    void aStaleMessageIsNotTheKeptReply() throws Exception {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        List<Integer> first = dump(memo, 1, data(1, 5), done(1));
        // a failed dump's leftover (seq 1) ahead of this one's: skipped by the decoder, not taken for the end
        List<Integer> next = dump(memo, 2, done(1), data(2, 5), done(2));
        assertThat(next).containsExactly(5).isNotSameAs(first);
    }

    @Test
    void aDumpThatFailedHalfWayLeavesNothingStaged() throws Exception {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        List<Integer> first = dump(memo, 1, data(1, 5), done(1));
        assertThat(memo.stage(data(2, 7), 2)).isFalse(); // then recv failed
        assertThat(dump(memo, 3, data(3, 5), done(3))).isSameAs(first);
    }

    @Test
    void memosDumpingInTurnOnOneThreadKeepTheirOwnReplies() throws Exception {
        // the stage is the thread's, shared by every memo: each keeps only its last reply
        ReplyMemo<Integer> a = new ReplyMemo<>();
        ReplyMemo<Integer> b = new ReplyMemo<>();
        List<Integer> fromA = dump(a, 1, data(1, 5), done(1));
        List<Integer> fromB = dump(b, 1, data(1, 7), done(1));
        assertThat(dump(a, 2, data(2, 5), done(2))).isSameAs(fromA);
        assertThat(a.stage(data(3, 5), 3)).isFalse(); // then a's recv failed, and b dumped
        assertThat(dump(b, 2, data(2, 7), done(2))).isSameAs(fromB);
        assertThat(dump(a, 4, data(4, 5), done(4))).isSameAs(fromA);
        assertThat(dump(b, 3, data(3, 5), done(3))).containsExactly(5).isNotSameAs(fromA);
    }

    @Test
    void aReplyLargerThanTheStageGrowsItAndIsStillRecognised() throws Exception {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        ByteBuffer[] large = new ByteBuffer[61];
        ByteBuffer[] again = new ByteBuffer[61];
        for (int i = 0; i < 60; i++) {
            large[i] = data(1, i);
            again[i] = data(3, i);
        }
        large[60] = done(1);
        again[60] = done(3);
        List<Integer> first = dump(memo, 1, large); // 60 * 24 + 20 bytes
        assertThat(first).hasSize(60);
        assertThat(dump(memo, 2, data(2, 1), done(2))).containsExactly(1);
        List<Integer> back = dump(memo, 3, again);
        assertThat(back).isEqualTo(first).isNotSameAs(first);
        for (int i = 0; i < 60; i++) {
            again[i] = data(4, i);
        }
        again[60] = done(4);
        assertThat(dump(memo, 4, again)).isSameAs(back);
    }

    @Test
    void aDatagramThatCannotBeWalkedEndsTheReplySoThatItsDecodingFails() {
        ReplyMemo<Integer> memo = new ReplyMemo<>();
        ByteBuffer tooLong = data(1, 5).putInt(0, 4096);
        assertThat(memo.stage(tooLong, 1)).as("nlmsg_len beyond the datagram").isTrue();
        assertThat(memo.unchanged(1)).isFalse();
        assertThatThrownBy(() -> memo.decode(1, InetDiag.SOCK_DIAG_BY_FAMILY, "test dump", p -> {}))
                .isInstanceOf(NetlinkException.class);
        ByteBuffer shortTail =
                ByteBuffer.allocate(30).order(ByteOrder.nativeOrder()).put(0, data(2, 5), 0, 24);
        assertThat(memo.stage(shortTail, 2))
                .as("6 bytes after the message: no header")
                .isTrue();
    }
}
