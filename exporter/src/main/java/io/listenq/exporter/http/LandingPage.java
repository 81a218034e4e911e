package io.listenq.exporter.http;

import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.Durations;
import io.listenq.exporter.sample.Snapshot;

/** The {@code /} page: what this exporter is, how it is set up, and what it sees now. */
public final class LandingPage {
    private LandingPage() {
    }

    public static String render(String version, Config config, String mode, Snapshot snapshot) {
        String seen = snapshot == null
                ? "<p>No sample yet.</p>"
                : "<p>Last sample: " + snapshot.namespaces().size() + " network namespace(s), "
                        + snapshot.listenerCount() + " listener series.</p>";
        String path = escape(config.telemetryPath());
        return """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>listenq-exporter</title></head>
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
                """.formatted(escape(version), escape(mode), Durations.format(config.sampleInterval()),
                Durations.format(config.peakWindow()), seen, path);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
