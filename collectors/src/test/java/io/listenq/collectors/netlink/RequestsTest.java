package io.listenq.collectors.netlink;

import static io.listenq.collectors.testing.TcpListeners.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NativeNamespaces;
import io.listenq.collectors.testing.TcpListeners;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void listenRequestIsListenOnlyWithSkmeminfo() {
        ByteBuffer r = InetDiag.listenRequest(Native.AF_INET6, 42);
        assertThat(r.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(r.remaining()).isEqualTo(72);
        assertThat(r.getInt(0)).isEqualTo(72);
        assertThat(r.getShort(4)).isEqualTo((short) 20);
        assertThat(r.getShort(6)).isEqualTo((short) 0x301);
        assertThat(r.getInt(8)).isEqualTo(42);
        assertThat(r.get(16)).isEqualTo((byte) 10);
        assertThat(r.get(17)).isEqualTo((byte) 6);
        assertThat(r.get(18)).isEqualTo((byte) 0x40);
        assertThat(r.getInt(20)).isEqualTo(1 << 10);
        for (int i = 24; i < 72; i++) {
            assertThat(r.get(i)).as("sockid byte %d", i).isZero();
        }
    }

    @Test
    void synRecvRequestAsksState3Only() {
        ByteBuffer r = InetDiag.synRecvRequest(Native.AF_INET, 1);
        assertThat(r.get(16)).isEqualTo((byte) 2);
        assertThat(r.get(18)).isZero();
        assertThat(r.getInt(20)).isEqualTo(1 << 3);
    }

    @Test
    void unixRequest() {
        ByteBuffer r = UnixDiag.listenRequest(9);
        assertThat(r.remaining()).isEqualTo(40);
        assertThat(r.getInt(0)).isEqualTo(40);
        assertThat(r.getShort(4)).isEqualTo((short) 20);
        assertThat(r.getInt(8)).isEqualTo(9);
        assertThat(r.get(16)).isEqualTo((byte) 1);
        assertThat(r.getInt(20)).isEqualTo(1 << 10);
        assertThat(r.getInt(28)).isEqualTo(0x11);
    }

    @Test
    void otherFamiliesAreRejected() {
        assertThatThrownBy(() -> InetDiag.listenRequest(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressTextLikeInetNtop() throws Exception {
        assertThat(text("::")).isEqualTo("::");
        assertThat(text("::1")).isEqualTo("::1");
        assertThat(text("::ffff:127.0.0.1")).isEqualTo("::ffff:127.0.0.1");
        assertThat(text("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(text("fe80::")).isEqualTo("fe80::");
        assertThat(text("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
        assertThat(text("::102:304")).isEqualTo("::1.2.3.4");
        assertThat(text("2001:DB8::AB")).isEqualTo("2001:db8::ab");
        assertThat(IpText.text(InetAddress.getByName("10.0.0.255"))).isEqualTo("10.0.0.255");
    }

    private static String text(String v6) throws Exception {
        byte[] raw = InetAddress.getByName(v6).getAddress();
        if (raw.length == 4) { // getByName folds ::ffff:a.b.c.d into an Inet4Address
            raw = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, raw[0], raw[1], raw[2], raw[3]};
        }
        return IpText.text(IpText.address(Native.AF_INET6, raw));
    }

    @Test
    void recordsValidate() {
        assertThatThrownBy(
                        () -> listener("127.0.0.1", 1).family(Native.AF_INET6).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> listener("127.0.0.1", 70000).build()).isInstanceOf(IllegalArgumentException.class);
        Supplier<TcpListeners> every = () -> listener("127.0.0.1", 80)
                .acceptQueue(1)
                .backlog(2)
                .inode(3)
                .cookie(4)
                .drops(5);
        TcpListener a = every.get().cgroupId(6).build();
        TcpListener same = every.get().cgroupId(6).build();
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a)
                .as("no cgroup id is not cgroup 6")
                .isNotEqualTo(every.get().build());
    }

    @Test
    void nativeErrorsNameCallAndErrno() {
        assertThatThrownBy(() -> NativeNamespaces.setns(-1, NativeNamespaces.CLONE_NEWNET))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isEqualTo(9);
                    assertThat(e.call()).isEqualTo("setns");
                })
                .hasMessage("setns: Bad file descriptor (errno 9)");
        assertThatThrownBy(() -> Native.open("/nonexistent/lq", Native.O_RDONLY | Native.O_CLOEXEC))
                .hasMessage("open: No such file or directory (errno 2)");
    }
}
