package io.listenq.exporter.http;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether scrapes keep failing, for {@code /-/healthy}: a process that answers every scrape with 500 (out of heap
 * without ExitOnOutOfMemoryError, a bug in encoding) is not healthy, whatever its sampler does. Only failures to
 * produce the body count: a client that hangs up mid-write cannot make the exporter look unhealthy. One success
 * clears it. Logs the first failure of a run with its stack trace, and the recovery.
 */
final class ScrapeHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeHealth.class);
    /** Consecutive failed scrapes after which /-/healthy fails: one is a blip, three in a row is a pattern. */
    static final int FAILING_AFTER = 3;

    private final AtomicInteger consecutive = new AtomicInteger();

    void failed(Throwable cause) {
        if (consecutive.getAndIncrement() == 0) {
            LOG.error("scrape failed, answered 500 (logged once until a scrape succeeds again)", cause);
        }
    }

    void succeeded() {
        int before = consecutive.getAndSet(0);
        if (before > 0) {
            LOG.info("scrapes succeed again after {} failed", before);
        }
    }

    boolean failing() {
        return consecutive.get() >= FAILING_AFTER;
    }
}
