package io.listenq.exporter.sample;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.netlink.InetDiag;
import io.listenq.collectors.netlink.NetlinkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the TCP dumps ask for both families: one walk of the kernel's hash for both (TCPDIAG_GETSOCK, docs/kernel.md
 * §2), or, on a kernel that refuses that request type, one dump per family, which walks the hash twice. Decided once
 * per process ({@link #PROCESS}): at the first refusal that the per-family dumps then answer, logged once.
 */
final class OneWalk {
    private static final Logger LOG = LoggerFactory.getLogger(OneWalk.class);

    /** The decision every namespace's dumps share. */
    static final OneWalk PROCESS = new OneWalk();

    private final AtomicBoolean refused = new AtomicBoolean();

    /** A dump of both families in one walk. */
    @FunctionalInterface
    interface BothFamilies<T> {
        List<T> dump() throws IOException;
    }

    /** A dump of one family, AF_INET or AF_INET6. */
    @FunctionalInterface
    interface OneFamily<T> {
        List<T> dump(int family) throws IOException;
    }

    /** Whether the kernel refused the one-walk dump: every dump since takes one per family. */
    boolean refused() {
        return refused.get();
    }

    /**
     * Both families, IPv4 then IPv6: from {@code oneWalk} unless the kernel refused it, else from {@code perFamily}.
     * A refusal that the per-family dumps fail too decides nothing: their error is thrown.
     */
    <T> List<T> dump(BothFamilies<T> oneWalk, OneFamily<T> perFamily) throws IOException {
        if (refused.get()) {
            return perFamily(perFamily);
        }
        try {
            return oneWalk.dump();
        } catch (NetlinkException e) {
            if (!InetDiag.refusesOneWalk(e)) {
                throw e;
            }
            List<T> both = perFamily(perFamily);
            if (refused.compareAndSet(false, true)) {
                LOG.warn(
                        "the kernel refuses TCPDIAG_GETSOCK dumps ({}): TCP dumps take one request per family from"
                                + " now on, which walks the kernel's socket hash twice",
                        e.getMessage());
            }
            return both;
        }
    }

    private static <T> List<T> perFamily(OneFamily<T> dump) throws IOException {
        List<T> both = new ArrayList<>(dump.dump(Native.AF_INET));
        both.addAll(dump.dump(Native.AF_INET6));
        return both;
    }
}
