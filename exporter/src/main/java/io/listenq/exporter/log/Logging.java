package io.listenq.exporter.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * The exporter's log output: {@code --log.level} and {@code --log.format}, set once by Main before the daemon
 * starts and read on every event (so loggers made earlier obey them too). Everything goes to stderr, one line per
 * event, written under a lock so that lines from several threads never interleave.
 */
public final class Logging {
    /** Jetty and Javalin say at debug and info what only their developers need: warn and above from them. */
    private static final List<String> QUIET = List.of("org.eclipse.jetty.", "io.javalin.");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final StackWalker STACK = StackWalker.getInstance();

    private static volatile Level threshold = Level.INFO;
    private static volatile LogFormat format = LogFormat.LOGFMT;
    private static volatile PrintStream out = System.err;

    private Logging() {}

    /** @param level debug, info, warn or error (as {@code --log.level} accepts) */
    public static void configure(String level, LogFormat logFormat) {
        threshold = Level.valueOf(level.toUpperCase(Locale.ROOT));
        format = logFormat;
    }

    /** Where lines go (stderr; tests read them). Returns the previous stream. */
    public static PrintStream redirect(PrintStream to) {
        PrintStream before = out;
        out = to;
        return before;
    }

    static boolean enabled(String logger, Level level) {
        if (level.toInt() < threshold.toInt()) {
            return false;
        }
        if (level.toInt() < Level.WARN.toInt()) {
            for (String q : QUIET) {
                if (logger.startsWith(q)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Formats and writes one event. */
    static void write(Level level, String message, List<String[]> keyValues, Throwable error) {
        List<String[]> fields = new ArrayList<>(5 + keyValues.size());
        fields.add(new String[] {"time", TIME.format(Instant.now())});
        fields.add(new String[] {"level", level == Level.TRACE ? "DEBUG" : level.name()});
        fields.add(new String[] {"source", source()});
        fields.add(new String[] {"msg", message});
        fields.addAll(keyValues);
        if (error != null) {
            fields.add(new String[] {"err", String.valueOf(error)});
            if (error.getStackTrace().length > 0 || error.getCause() != null) {
                fields.add(new String[] {"stack", stack(error)});
            }
        }
        StringBuilder line = new StringBuilder(160);
        format.append(line, fields);
        PrintStream o = out;
        synchronized (o) {
            o.println(line);
        }
    }

    /**
     * The caller's {@code File.java:line}, as promslog prints Go's {@code file.go:line}: the first frame outside
     * SLF4J and the logger. Walking the stack costs microseconds; the exporter logs problems, not traffic.
     */
    private static String source() {
        Optional<StackWalker.StackFrame> caller =
                STACK.walk(frames -> frames.filter(f -> !f.getClassName().startsWith("org.slf4j.")
                                && !f.getClassName().equals(Logging.class.getName())
                                && !f.getClassName().equals(EventLogger.class.getName()))
                        .findFirst());
        return caller.map(f -> (f.getFileName() == null ? f.getClassName() : f.getFileName()) + ":" + f.getLineNumber())
                .orElse("unknown");
    }

    private static String stack(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c != t) {
                sb.append("caused by: ").append(c).append('\n');
            }
            for (StackTraceElement e : c.getStackTrace()) {
                sb.append("\tat ").append(e).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
