package io.listenq.exporter.log;

import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * One named SLF4J logger; the level check and the output live in {@link Logging}. Markers are ignored
 * (LegacyAbstractLogger routes the marker variants to the plain ones).
 */
final class EventLogger extends LegacyAbstractLogger implements LoggingEventAware {
    EventLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return Logging.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return Logging.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return Logging.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return Logging.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return Logging.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] args, Throwable error) {
        Logging.write(level, MessageFormatter.basicArrayFormat(pattern, args), List.of(), error);
    }

    /** The fluent API ({@code LOG.atInfo().addKeyValue("netns", n).log(...)}): pairs become fields of their own. */
    @Override
    public void log(LoggingEvent event) {
        if (!Logging.enabled(name, event.getLevel())) {
            return;
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        Object[] args = event.getArgumentArray();
        String message = MessageFormatter.basicArrayFormat(event.getMessage(), args);
        Logging.write(
                event.getLevel(),
                message,
                pairs.stream()
                        .map(p -> new String[] {p.key, String.valueOf(p.value)})
                        .toList(),
                event.getThrowable());
    }
}
