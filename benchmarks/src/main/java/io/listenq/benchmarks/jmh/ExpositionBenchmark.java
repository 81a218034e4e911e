package io.listenq.benchmarks.jmh;

import io.listenq.collectors.procfs.Sysctl;
import io.listenq.exporter.http.WebSecurity;
import io.listenq.exporter.http.WebServer;
import io.listenq.exporter.metrics.ListenqCollector;
import io.listenq.exporter.sample.CollectorResult;
import io.listenq.exporter.sample.ListenerKey;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.NetnsCounter;
import io.listenq.exporter.sample.NetnsIdentity;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the exporter does per snapshot with 10,000 listener series: {@link ListenqCollector} turning a {@link Snapshot}
 * into metric families, the text format writer serialising them, and the whole encode the sampler runs after a round
 * for a Prometheus scraper ({@link #encodeAhead()}: families, OpenMetrics text, gzip, into reused arrays). A scrape
 * itself only sends those bytes (wrk in the scenarios). {@code layout} is namespaces x listeners.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExpositionBenchmark {
    @Param({"1x10000", "1000x10"})
    public String layout;

    private Snapshot first;
    private Snapshot second;
    private boolean flip;
    private boolean turn;
    private ListenqCollector building;
    private MetricSnapshots families;
    private PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(4 << 20);
    private final AtomicReference<Snapshot> published = new AtomicReference<>();
    private WebServer server;
    private HttpClient http;

    @Setup
    public void build() {
        String[] nm = layout.split("x");
        first = snapshot(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
        // same content, another identity: the collector's per-snapshot cache misses on every call
        second = new Snapshot(
                first.timestampMillis() + 1000,
                first.roundSeconds(),
                first.namespaces(),
                first.collectors(),
                first.netnsErrors(),
                first.listenersDropped());
        building = new ListenqCollector(() -> (flip = !flip) ? first : second, "bench");
        families = new ListenqCollector(() -> first, "bench").collect();
        registry = new PrometheusRegistry();
        registry.register(new ListenqCollector(() -> first, "bench"));

        published.set(first);
        PrometheusRegistry served = new PrometheusRegistry();
        served.register(new ListenqCollector(published::get, "bench"));
        server = WebServer.builder(WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10), WebSecurity.none(), served)
                .generation(published::get)
                .build()
                .start();
        http = HttpClient.newHttpClient();
    }

    /**
     * A scrape as Prometheus sends it before each call (outside the measured time; the calls take ~0.1 s, so
     * {@code Level.Invocation} is fine): to the server a scraper that comes every round, so every call encodes.
     * Left alone, the server would take the scraper for gone and the benchmark would measure nothing.
     */
    @Setup(Level.Invocation)
    public void scrapeAsPrometheus() throws IOException, InterruptedException {
        scrapeOnce();
    }

    private void scrapeOnce() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .header("Accept", "application/openmetrics-text; version=1.0.0")
                        .header("Accept-Encoding", "gzip")
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + r.statusCode());
        }
    }

    @TearDown
    public void stop() {
        server.close();
        http.close();
    }

    static Snapshot snapshot(int namespaces, int listenersPerNamespace) {
        List<NamespaceSample> out = new ArrayList<>(namespaces);
        for (int n = 0; n < namespaces; n++) {
            String netns = Long.toString(4026532000L + n);
            Map<NetnsCounter, Long> counters = new EnumMap<>(NetnsCounter.class);
            for (NetnsCounter c : NetnsCounter.values()) {
                counters.put(c, 1000L * n + c.ordinal());
            }
            Map<Sysctl, Long> sysctls = new EnumMap<>(Sysctl.class);
            for (Sysctl s : Sysctl.values()) {
                sysctls.put(s, 4096L);
            }
            List<ListenerSample> listeners = new ArrayList<>(listenersPerNamespace);
            for (int i = 0; i < listenersPerNamespace; i++) {
                String address = "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
                ListenerKey key = new ListenerKey(netns, "ipv4", address, Integer.toString(8000 + i % 50000));
                listeners.add(new ListenerSample(
                        key,
                        i % 3,
                        4096,
                        false,
                        OptionalLong.of(i % 7),
                        OptionalLong.of(i % 5),
                        1,
                        i % 3 + i % 11,
                        0.25 * (i % 4),
                        OptionalLong.empty(),
                        OptionalDouble.of(0)));
            }
            listeners.sort((a, b) -> a.key().compareTo(b.key()));
            out.add(new NamespaceSample(
                    netns, new NetnsIdentity("lq-b-" + n, "", "", "", ""), counters, sysctls, listeners));
        }
        List<CollectorResult> collectors =
                List.of(new CollectorResult("netstat", true, 0.01), new CollectorResult("tcp_listeners", true, 0.02));
        return new Snapshot(System.currentTimeMillis(), 0.03, out, collectors, Map.of(), 0);
    }

    /** Snapshot to metric families: once per sampling round. */
    @Benchmark
    public MetricSnapshots collect() {
        return building.collect();
    }

    /** Metric families to text: every scrape (the response bytes are in the scenario table). */
    @Benchmark
    public int writeText() throws IOException {
        body.reset();
        writer.write(body, families);
        return body.size();
    }

    /**
     * What the sampler thread adds to a round a scraper is expected after: a new snapshot's families, encoded as
     * OpenMetrics and gzip-compressed into the reused array (the collector keeps the series' labels of the round
     * before, as it does for an idle round).
     */
    @Benchmark
    public void encodeAhead() {
        published.set((turn = !turn) ? first : second);
        server.encodeAhead();
    }

    /** A scrape of a cached snapshot without HTTP: registry.scrape() plus the text writer. */
    @Benchmark
    public int scrape() throws IOException {
        body.reset();
        writer.write(body, registry.scrape());
        return body.size();
    }
}
