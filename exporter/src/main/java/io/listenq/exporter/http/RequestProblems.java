package io.listenq.exporter.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per kind of bad request, not one per request: a client that sends the same malformed header in a
 * loop must not fill the disk (10 connections sending {@code Accept-Encoding: ;} once wrote 64 MiB of stack traces in
 * 10 s). Kinds are a fixed vocabulary chosen by the code (never the header's text), so the set stays small.
 */
final class RequestProblems {
    private static final Logger LOG = LoggerFactory.getLogger(RequestProblems.class);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Logs {@code kind} the first time it happens, with the cause's class and message (no stack trace). */
    void report(String kind, Throwable cause) {
        if (seen.add(kind)) {
            LOG.warn(
                    "{} ({}); answered without failing, further occurrences are not logged",
                    kind,
                    cause == null ? "no detail" : cause.toString());
        }
    }
}
