package io.listenq.exporter.http;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Answers, before Jetty asks, the one question Jetty's {@code MemoryUtils} puts to the platform MBean server: how many
 * object references fit in a cache line (its queues pad by that). Unless the property below is set, the first
 * {@code QueuedThreadPool} asks {@code ManagementFactory.getPlatformMBeanServer()} for the HotSpotDiagnostic MBean's
 * {@code UseCompressedOops}, which brings up all of JMX: the MBean server, every platform MBean, java.util.logging and
 * the descriptions of every diagnostic command (JFR's with its .jfc model). With SelfMetrics' native-memory question
 * answered too, ~250 classes (4,904 to 4,653 loaded at 10 namespaces) that every start loaded, and the AOT cache held,
 * for one boolean. The same boolean comes from the diagnostic MXBean itself, without the server; the answer is Jetty's
 * own formula.
 */
final class JettyCacheLine {
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";

    private JettyCacheLine() {}

    /** Sets Jetty's {@code referencesPerCacheLine} as Jetty would compute it, unless it is set already. */
    static void answerForJetty() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, Integer.toString(referencesPerCacheLine()));
        }
    }

    /** Jetty's: a cache line's bytes (64 unless set) over 4-byte references, or 8-byte ones without compressed oops. */
    static int referencesPerCacheLine() {
        int bytes = Integer.getInteger(CACHE_LINE_BYTES, 64);
        return compressedOops() ? bytes >> 2 : bytes >> 3;
    }

    private static boolean compressedOops() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot == null
                    || Boolean.parseBoolean(
                            hotspot.getVMOption("UseCompressedOops").getValue());
        } catch (IllegalArgumentException e) {
            return true; // no such option: Jetty, failing to ask, also assumes 4-byte references
        }
    }
}
