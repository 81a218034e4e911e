package io.listenq.exporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The telemetry path: at most {@code maxConcurrentScrapes} at once, writing the body included, more get 503 at once
 * rather than queueing behind a slow client. A scrape sends bytes {@link ExpositionCache} encoded ahead of it.
 */
final class ScrapeHandler implements Handler {
    private final ScrapeFormat formats;
    private final ExpositionCache cache;
    private final ScrapeHealth health;
    private final ScrapeObserver observer;
    private final Semaphore scrapes;

    ScrapeHandler(
            ScrapeFormat formats,
            ExpositionCache cache,
            ScrapeHealth health,
            ScrapeObserver observer,
            int maxConcurrentScrapes) {
        this.formats = formats;
        this.cache = cache;
        this.health = health;
        this.observer = observer;
        this.scrapes = new Semaphore(maxConcurrentScrapes);
    }

    @Override
    public void handle(Context ctx) throws IOException {
        if (!scrapes.tryAcquire()) {
            observer.rejected();
            ctx.status(503).result("too many concurrent scrapes\n");
            return;
        }
        try {
            // The write happens here, under the permit: sending 7 MB is the expensive part of a scrape.
            scrape(ctx);
        } finally {
            scrapes.release();
        }
    }

    private void scrape(Context ctx) throws IOException {
        long start = System.nanoTime();
        ExpositionFormatWriter writer = formats.writer(ctx.header("Accept"));
        boolean gzip = ScrapeFormat.acceptsGzip(ctx.header("Accept-Encoding"));
        // client_java's name[] filter (?name[]=a&name[]=b): only those families, encoded for this request alone.
        List<String> names = ctx.queryParams("name[]");
        EncodedBytes body;
        try {
            body = names.isEmpty() ? cache.body(writer, gzip) : cache.filtered(writer, gzip, names);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // OutOfMemoryError only reaches here without -XX:+ExitOnOutOfMemoryError (which ships)
            health.failed(e);
            ctx.status(500).result("scrape failed: " + e.getClass().getSimpleName() + "\n");
            return;
        }
        if (body == null) {
            if (stream(ctx, writer)) {
                observer.served(formatName(writer), false, System.nanoTime() - start);
            }
            return;
        }
        try {
            health.succeeded();
            HttpServletResponse res = ctx.res();
            res.setContentType(writer.getContentType());
            res.setHeader("Vary", "Accept-Encoding");
            if (gzip) {
                res.setHeader("Content-Encoding", "gzip");
            }
            res.setContentLength(body.length());
            // Jetty's blocking write returns once it no longer needs the array (sent, or copied into its own
            // buffer); for HEAD it keeps the headers and drops the bytes.
            body.writeTo(res.getOutputStream());
            res.flushBuffer();
        } finally {
            body.release();
        }
        observer.served(formatName(writer), gzip, System.nanoTime() - start);
    }

    /**
     * A large plain body asked for rarely, written as it is encoded ({@link ExpositionCache#stream}): chunked, without
     * a length. A failure before the first byte is a 500 as for any scrape; one after it can only end the response.
     *
     * @return whether it was answered in full
     */
    private boolean stream(Context ctx, ExpositionFormatWriter writer) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setContentType(writer.getContentType());
        res.setHeader("Vary", "Accept-Encoding");
        try {
            cache.stream(writer, res.getOutputStream());
            res.flushBuffer();
            health.succeeded();
            return true;
        } catch (IOException | RuntimeException e) {
            if (res.isCommitted()) {
                throw e;
            }
            health.failed(e);
            res.reset();
            ctx.status(500).result("scrape failed: " + e.getClass().getSimpleName() + "\n");
            return false;
        }
    }

    /** The {@code format} label of the scrape metrics, from the content type the writer answers with. */
    static String formatName(ExpositionFormatWriter writer) {
        String type = writer.getContentType();
        if (type.startsWith("application/vnd.google.protobuf")) {
            return "protobuf";
        }
        return type.startsWith("application/openmetrics-text") ? "openmetrics" : "text";
    }
}
