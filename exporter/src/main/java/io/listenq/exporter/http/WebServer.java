package io.listenq.exporter.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP side: {@code /} landing page, the telemetry path, {@code /-/healthy} and {@code /-/ready}. A scrape
 * only serialises the latest snapshot; at most {@code maxConcurrentScrapes} run at once, more get 503 at once
 * rather than queueing behind a slow client.
 */
public final class WebServer implements AutoCloseable {
    private final Javalin app;

    public record Settings(String host, int port, String telemetryPath, int maxConcurrentScrapes) {
    }

    public WebServer(Settings settings, PrometheusRegistry registry, BooleanSupplier ready,
                     Supplier<String> landingPage) {
        ExpositionFormats formats = ExpositionFormats.init();
        Semaphore scrapes = new Semaphore(settings.maxConcurrentScrapes());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.routes.get("/", ctx -> ctx.html(landingPage.get()));
            config.routes.get(settings.telemetryPath(), ctx -> {
                if (!scrapes.tryAcquire()) {
                    ctx.status(503).result("too many concurrent scrapes\n");
                    return;
                }
                try {
                    scrape(ctx, formats, registry);
                } finally {
                    scrapes.release();
                }
            });
            config.routes.get("/-/healthy", ctx -> ctx.result("Healthy\n"));
            config.routes.get("/-/ready", ctx -> {
                if (ready.getAsBoolean()) {
                    ctx.result("Ready\n");
                } else {
                    ctx.status(503).result("Not ready: no sample yet\n");
                }
            });
        });
    }

    private static void scrape(Context ctx, ExpositionFormats formats, PrometheusRegistry registry)
            throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(ctx.header("Accept"));
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        writer.write(body, registry.scrape());
        ctx.contentType(writer.getContentType());
        ctx.result(body.toByteArray());
    }

    public WebServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
