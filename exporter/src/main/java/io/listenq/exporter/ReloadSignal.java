package io.listenq.exporter;

import io.listenq.exporter.http.WebSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP re-reads {@code --web.config.file}, as Prometheus components do. sun.misc.Signal (module jdk.unsupported)
 * is the JDK's only way to catch a signal; it runs the handler on a thread of its own.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    static void install(WebSecurity security) {
        try {
            Signal.handle(new Signal("HUP"), s -> security.reload());
        } catch (IllegalArgumentException e) {
            // the JVM was started with -Xrs or the signal is in use: run without reload rather than not at all
            LOG.warn("cannot handle SIGHUP ({}): the web config will not be reloaded", e.getMessage());
        }
    }
}
