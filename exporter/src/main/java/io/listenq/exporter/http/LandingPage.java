package io.listenq.exporter.http;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.listeners.ListenerRows;
import io.listenq.exporter.sample.Snapshot;

/**
 * The {@code /} page: what this exporter is, how it is set up, and what it sees now, the listeners in trouble
 * included. While open it reloads itself every {@link #REFRESH_SECONDS} (meta refresh: no script needed).
 */
public final class LandingPage {
    static final int REFRESH_SECONDS = 5;

    private LandingPage() {}

    public static String render(String version, Config config, String mode, Snapshot snapshot) {
        String seen = snapshot == null
                ? "<p>No sample yet.</p>"
                : "<p>Last sample: " + snapshot.namespaces().size() + " network namespace(s), "
                        + snapshot.listenerCount() + " listener series.</p>\n"
                        + ListenersHtml.render(ListenerRows.of(snapshot));
        String path = escape(config.telemetryPath());
        return """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><meta http-equiv="refresh" content="%d">
                <title>listenq-exporter</title></head>
                <body>
                <h1>listenq-exporter</h1>
                <p>Listen-queue overflows per listener and per network namespace.</p>
                <ul>
                <li>Version: %s</li>
                <li>Namespace mode: %s</li>
                <li>Sample interval: %s, peak window: %s</li>
                </ul>
                %s
                <p><a href="%s">Metrics</a> &middot; <a href="/-/healthy">Health</a> &middot; <a href="/-/ready">Readiness</a></p>
                </body></html>
                """.formatted(
                        REFRESH_SECONDS,
                        escape(version),
                        escape(mode),
                        Durations.format(config.sampleInterval()),
                        Durations.format(config.peakWindow()),
                        seen,
                        path);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
