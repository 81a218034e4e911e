package io.listenq.exporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.listenq.exporter.listeners.ListenerRow;
import io.listenq.exporter.listeners.ListenerRows;
import io.listenq.exporter.listeners.ListenersJson;
import io.listenq.exporter.sample.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /api/v1/listeners[?netns=...][&min_fill=...]}: every listener of the latest snapshot as JSON, most
 * troubled first (schema: docs/api.md). Behind the same TLS and basic auth as the metrics. The sorted rows and the
 * unfiltered answer are built once per snapshot; a filter that matches nothing gives an empty list, a bad value
 * HTTP 400 with a one-line message.
 */
final class ListenersApi implements Handler {
    static final String PATH = "/api/v1/listeners";

    private final Supplier<Snapshot> snapshots;
    private Snapshot cachedFor;
    private List<ListenerRow> rows = List.of();
    private byte[] all;
    private byte[] allGzip;

    ListenersApi(Supplier<Snapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void handle(Context ctx) {
        ListenerRows.Filter filter;
        try {
            filter = ListenerRows.Filter.parse(ctx.queryParamMap());
        } catch (IllegalArgumentException e) {
            ctx.status(400).contentType("text/plain; charset=utf-8").result("bad request: " + e.getMessage() + "\n");
            return;
        }
        Snapshot s = snapshots.get();
        boolean gzip = ScrapeFormat.acceptsGzip(ctx.header("Accept-Encoding"));
        byte[] body;
        synchronized (this) {
            if (all == null || s != cachedFor) {
                rows = ListenerRows.of(s);
                all = json(s, rows);
                allGzip = null;
                cachedFor = s;
            }
            if (!filter.keepsAll()) {
                body = json(s, ListenerRows.filter(rows, filter));
                gzip = false; // usually small; not worth compressing per request
            } else if (gzip) {
                if (allGzip == null) {
                    allGzip = gzip(all); // 10,000 listeners: ~7 MB of JSON, a few hundred KB gzipped
                }
                body = allGzip;
            } else {
                body = all;
            }
        }
        ctx.header("Vary", "Accept-Encoding");
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        ctx.contentType("application/json").result(body);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 10 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory", e); // cannot happen: no I/O
        }
        return out.toByteArray();
    }

    private static byte[] json(Snapshot s, List<ListenerRow> rows) {
        return ListenersJson.render(s == null ? -1 : s.timestampMillis(), rows).getBytes(StandardCharsets.UTF_8);
    }
}
