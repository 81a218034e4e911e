package io.listenq.exporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.listenq.exporter.listeners.ListenerRow;
import io.listenq.exporter.listeners.ListenerRows;
import io.listenq.exporter.listeners.ListenersJson;
import io.listenq.exporter.sample.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

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
        byte[] body;
        synchronized (this) {
            if (all == null || s != cachedFor) {
                rows = ListenerRows.of(s);
                all = json(s, rows);
                cachedFor = s;
            }
            body = filter.keepsAll() ? all : json(s, ListenerRows.filter(rows, filter));
        }
        ctx.contentType("application/json").result(body);
    }

    private static byte[] json(Snapshot s, List<ListenerRow> rows) {
        return ListenersJson.render(s == null ? -1 : s.timestampMillis(), rows).getBytes(StandardCharsets.UTF_8);
    }
}
