package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address bytes from sock_diag to {@link InetAddress} and to text.
 *
 * <p>Text follows glibc's {@code inet_ntop}, which is what {@code ss} prints (without its brackets):
 * lowercase hex, the first longest run of two or more zero groups as {@code ::} (RFC 5952 4.2),
 * IPv4-mapped addresses as {@code ::ffff:127.0.0.1}. Like glibc we also print the deprecated
 * IPv4-compatible form ({@code ::1.2.3.4}) for addresses whose first 96 bits are zero, other than
 * {@code ::} and {@code ::1}, so that our labels equal what ss shows.
 */
final class IpText {
    private IpText() {}

    /**
     * An address from the 16-byte sock_diag field: AF_INET uses the first 4 bytes. AF_INET6 always
     * gives an {@link Inet6Address}, also for IPv4-mapped addresses (which
     * {@link InetAddress#getByAddress(byte[])} would turn into an Inet4Address).
     */
    static InetAddress address(int family, byte[] raw16) {
        return switch (family) {
            case Native.AF_INET -> {
                int v4 = ((raw16[0] & 0xff) << 24)
                        | ((raw16[1] & 0xff) << 16)
                        | ((raw16[2] & 0xff) << 8)
                        | (raw16[3] & 0xff);
                yield v4 == 0 ? V4_ANY : v4 == 0x7f00_0001 ? V4_LOOPBACK : inet4(raw16);
            }
            case Native.AF_INET6 -> {
                boolean zeroPrefix = true; // the first 15 bytes
                for (int i = 0; i < 15 && zeroPrefix; i++) {
                    zeroPrefix = raw16[i] == 0;
                }
                yield zeroPrefix && raw16[15] == 0 ? V6_ANY : zeroPrefix && raw16[15] == 1 ? V6_LOOPBACK : inet6(raw16);
            }
            default -> throw new IllegalArgumentException("not an inet family: " + family);
        };
    }

    /*
     * The addresses most listeners are bound to, one instance each for every listener of every namespace: a
     * sampler keeps each namespace's last dump. InetAddress is compared by value and its address never changes (only
     * a host name looked up on demand is remembered, which is the same for the same address).
     */
    private static final InetAddress V4_ANY = inet4(new byte[16]);
    private static final InetAddress V4_LOOPBACK = inet4(new byte[] {127, 0, 0, 1});
    private static final InetAddress V6_ANY = inet6(new byte[16]);
    private static final InetAddress V6_LOOPBACK = inet6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private static InetAddress inet4(byte[] raw) {
        try {
            return InetAddress.getByAddress(new byte[] {raw[0], raw[1], raw[2], raw[3]});
        } catch (UnknownHostException e) { // only thrown for a wrong array length, which cannot happen here
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress inet6(byte[] raw16) {
        try {
            return Inet6Address.getByAddress(null, raw16, -1);
        } catch (UnknownHostException e) { // as above
            throw new IllegalStateException(e);
        }
    }

    static String text(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            return v4(a, 0);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            // Embedded IPv4 (glibc inet_ntop6): IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d).
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                sb.append(v4(a, 12));
                break;
            }
            sb.append(Integer.toHexString(words[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    private static String v4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }
}
