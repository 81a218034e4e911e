package io.listenq.exporter.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.exporter.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Both --log.format outputs through the real SLF4J API, as the exporter and Jetty log. */
class LoggingTest {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream before;

    @BeforeEach
    void capture() {
        before = Logging.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Logging.redirect(before);
        Logging.configure("info", LogFormat.LOGFMT);
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void slf4jFindsThisBackend() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith(LogProvider.class.getName());
    }

    @Test
    void logfmtHasTheToolkitFieldsInOrderAndQuotesLikeGoLogfmt() {
        Logging.configure("info", LogFormat.LOGFMT);
        LOG.info("reloaded web config {} (tls {})", "/etc/web.yml", "on");
        LOG.warn("plain");
        LOG.atWarn()
                .addKeyValue("netns", "4026531840")
                .addKeyValue("reason", "a \"quoted\"\nvalue")
                .log("namespace {} skipped", 7);
        List<String> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .matches(
                        "time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
                                + "level=INFO source=LoggingTest\\.java:\\d+ msg=\"reloaded web config /etc/web.yml \\(tls on\\)\"");
        assertThat(lines.get(1))
                .endsWith(" level=WARN source=LoggingTest.java:" + (lineOf("LOG.warn(\"plain\")")) + " msg=plain");
        assertThat(lines.get(2))
                .endsWith("msg=\"namespace 7 skipped\" netns=4026531840 " + "reason=\"a \\\"quoted\\\"\\nvalue\"");
    }

    @Test
    void jsonIsOneObjectPerLineWithTheSameFieldsAndTheErrorAndItsStack() throws Exception {
        Logging.configure("debug", LogFormat.JSON);
        LOG.debug("multi\nline \"text\" \\ \u0001 é");
        LOG.error("round failed: {}", "boom", new IllegalStateException("bad state", new IOException("disk")));
        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> debug = (Map<String, Object>) Json.parse(lines.get(0));
        assertThat(new ArrayList<>(debug.keySet())).containsExactly("time", "level", "source", "msg");
        assertThat(debug.get("level")).isEqualTo("DEBUG");
        assertThat((String) debug.get("source")).startsWith("LoggingTest.java:");
        assertThat(debug.get("msg")).isEqualTo("multi\nline \"text\" \\ \u0001 é");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) Json.parse(lines.get(1));
        assertThat(error.get("level")).isEqualTo("ERROR");
        assertThat(error.get("msg")).isEqualTo("round failed: boom");
        assertThat(error.get("err")).isEqualTo("java.lang.IllegalStateException: bad state");
        assertThat((String) error.get("stack"))
                .contains("\tat io.listenq.exporter.log.LoggingTest.")
                .contains("caused by: java.io.IOException: disk");
    }

    @Test
    void levelsFilterAndJettyStaysQuietBelowWarn() {
        Logging.configure("warn", LogFormat.LOGFMT);
        LOG.info("hidden");
        LOG.debug("hidden");
        LOG.error("shown");
        Logging.configure("debug", LogFormat.LOGFMT);
        Logger jetty = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
        jetty.info("Started");
        jetty.debug("details");
        jetty.warn("jetty warns");
        LOG.debug("ours at debug");
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).contains("level=ERROR").endsWith("msg=shown");
        assertThat(lines().get(1)).contains("level=WARN").endsWith("msg=\"jetty warns\"");
        assertThat(lines().get(2)).contains("level=DEBUG").endsWith("msg=\"ours at debug\"");
        assertThat(LOG.isTraceEnabled()).isFalse();
    }

    private static int lineOf(String code) {
        try {
            List<String> src = java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("src/test/java/io/listenq/exporter/log/LoggingTest.java"));
            for (int i = 0; i < src.size(); i++) {
                if (src.get(i).contains(code) && !src.get(i).contains("lineOf")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(code);
    }
}
