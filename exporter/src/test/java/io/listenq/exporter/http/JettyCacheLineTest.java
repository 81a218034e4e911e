package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The answer given to Jetty is the one Jetty would have got from the MBean server itself. */
class JettyCacheLineTest {
    @Test
    void sameAnswerAsJettyAskingTheMBeanServer() throws Exception {
        // Jetty's MemoryUtils: HotSpotDiagnostic's UseCompressedOops through the platform MBean server; 4-byte
        // references (64 / 4) unless it says false (64 / 8).
        CompositeData option = (CompositeData) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        ObjectName.getInstance("com.sun.management:type=HotSpotDiagnostic"),
                        "getVMOption",
                        new Object[] {"UseCompressedOops"},
                        new String[] {"java.lang.String"});
        int jetty = Boolean.parseBoolean((String) option.get("value")) ? 64 / 4 : 64 / 8;
        assertThat(JettyCacheLine.referencesPerCacheLine()).isEqualTo(jetty);
    }

    @Test
    void anAnswerAlreadyGivenStays() {
        String before = System.getProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE);
        try {
            System.setProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE, "3");
            JettyCacheLine.answerForJetty();
            assertThat(System.getProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE))
                    .isEqualTo("3");
            System.clearProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE);
            JettyCacheLine.answerForJetty();
            assertThat(System.getProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE))
                    .isEqualTo(Integer.toString(JettyCacheLine.referencesPerCacheLine()));
        } finally {
            if (before == null) {
                System.clearProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE);
            } else {
                System.setProperty(JettyCacheLine.REFERENCES_PER_CACHE_LINE, before);
            }
        }
    }
}
