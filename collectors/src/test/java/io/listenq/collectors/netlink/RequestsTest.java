package io.listenq.collectors.netlink;

import static io.listenq.collectors.testing.TcpListeners.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NativeNamespaces;
import io.listenq.collectors.testing.TcpListeners;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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

    /** struct inet_diag_req after the header: family, src_len, dst_len, ext, sockid (48), states @68, dbs @72. */
    @Test
    void oneWalkRequestsAreTcpdiagGetsockForEveryFamily() {
        ByteBuffer r = InetDiag.listenRequestBothFamilies(7);
        assertThat(r.remaining()).isEqualTo(76);
        assertThat(r.getInt(0)).isEqualTo(76);
        assertThat(r.getShort(4)).isEqualTo((short) 18);
        assertThat(r.getShort(6)).isEqualTo((short) 0x301);
        assertThat(r.getInt(8)).isEqualTo(7);
        assertThat(r.get(16))
                .as("idiag_family: ignored, the dump asks for AF_UNSPEC")
                .isZero();
        assertThat(r.get(19)).as("idiag_ext").isEqualTo((byte) 0x40);
        for (int i = 20; i < 68; i++) {
            assertThat(r.get(i)).as("sockid byte %d", i).isZero();
        }
        assertThat(r.getInt(68)).isEqualTo(1 << 10);
        assertThat(r.getInt(72)).isZero();
        ByteBuffer s = InetDiag.synRecvRequestBothFamilies(8);
        assertThat(s.get(19)).isZero();
        assertThat(s.getInt(68)).isEqualTo(1 << 3);
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
    void wildcardAndLoopbackAddressesAreSharedInstancesEqualToFreshOnes() throws Exception {
        for (String a : new String[] {"0.0.0.0", "127.0.0.1", "::", "::1", "10.0.0.1", "127.0.0.2", "::2", "1::1"}) {
            InetAddress fresh = InetAddress.getByName(a);
            byte[] raw16 = Arrays.copyOf(fresh.getAddress(), 16);
            int family = fresh.getAddress().length == 4 ? Native.AF_INET : Native.AF_INET6;
            InetAddress decoded = IpText.address(family, raw16);
            assertThat(decoded).as(a).isEqualTo(fresh).hasSameClassAs(fresh);
            assertThat(IpText.text(decoded)).as(a).isEqualTo(a);
            assertThat(decoded.isAnyLocalAddress()).as(a).isEqualTo(fresh.isAnyLocalAddress());
            boolean shared = a.equals("0.0.0.0") || a.equals("127.0.0.1") || a.equals("::") || a.equals("::1");
            assertThat(IpText.address(family, raw16.clone()) == decoded).as(a).isEqualTo(shared);
        }
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertThat(IpText.address(Native.AF_INET6, mapped)).isInstanceOf(Inet6Address.class);
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
