package io.listenq.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A legitimate scraper: GETs every 200 ms until stopped, recording status and latency. */
public final class LegitScraper implements AutoCloseable {
    public final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    public final List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    public LegitScraper(HttpClient client, HttpRequest request) {
        thread = Thread.ofPlatform().daemon(true).start(() -> {
            while (running) {
                long t = System.nanoTime();
                int code;
                try {
                    code = client.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (IOException e) {
                    code = -1;
                } catch (InterruptedException e) {
                    return;
                }
                millis.add((System.nanoTime() - t) / 1_000_000);
                codes.add(code);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public long p99() {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }

    public void assertAll200(boolean judgeLatency, String what) {
        assertThat(codes).as(what + ": scrapes").hasSizeGreaterThan(3).containsOnly(200);
        if (judgeLatency) {
            assertThat(millis).as(what + ": every scrape within 2 s").allMatch(ms -> ms <= 2_000);
        }
    }
}
