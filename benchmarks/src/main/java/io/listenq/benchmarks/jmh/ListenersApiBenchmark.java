package io.listenq.benchmarks.jmh;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.http.WebSecurity;
import io.listenq.exporter.http.WebServer;
import io.listenq.exporter.listeners.ListenerRows;
import io.listenq.exporter.listeners.ListenersJson;
import io.listenq.exporter.sample.ListenerSample;
import io.listenq.exporter.sample.NamespaceSample;
import io.listenq.exporter.sample.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code GET /api/v1/listeners} with 10,000 listeners, each with an owner (a Kubernetes-style cgroup path with a
 * container id): {@code build} = sorting the rows and writing the JSON (once per snapshot, then cached),
 * {@code get} = the whole answer over HTTP from a cached snapshot, {@code getGzip} = the same gzipped,
 * {@code getFiltered} = {@code ?min_fill=0.5}
 * (filtered per request). The answer's size is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ListenersApiBenchmark {
    @Param({"1x10000", "1000x10"})
    public String layout;

    private Snapshot snapshot;
    private WebServer server;
    private HttpClient client;
    private HttpRequest all;
    private HttpRequest filtered;
    private HttpRequest gzipped;

    @Setup
    public void start() throws Exception {
        String[] nm = layout.split("x");
        snapshot = withOwners(ExpositionBenchmark.snapshot(Integer.parseInt(nm[0]), Integer.parseInt(nm[1])));
        server = WebServer.builder(
                        WebServer.Settings.of("127.0.0.1", 0, "/metrics", 10),
                        WebSecurity.none(),
                        new PrometheusRegistry())
                .generation(() -> snapshot)
                .listeners(() -> snapshot)
                .build()
                .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + server.port() + "/api/v1/listeners";
        all = HttpRequest.newBuilder(URI.create(base)).build();
        filtered = HttpRequest.newBuilder(URI.create(base + "?min_fill=0.5")).build();
        gzipped = HttpRequest.newBuilder(URI.create(base))
                .header("Accept-Encoding", "gzip")
                .build();
        byte[] body = client.send(all, HttpResponse.BodyHandlers.ofByteArray()).body();
        System.err.printf(
                "%n/api/v1/listeners, %s: %d bytes for %d listeners (%d bytes each)%n",
                layout, body.length, snapshot.listenerCount(), body.length / snapshot.listenerCount());
        System.err.printf(
                "/api/v1/listeners, %s, gzip: %d bytes%n",
                layout,
                client.send(gzipped, HttpResponse.BodyHandlers.ofByteArray()).body().length);
    }

    /** Every listener gets a cgroup id; one owner per 10 listeners (a pod's container holding several ports). */
    static Snapshot withOwners(Snapshot s) {
        List<NamespaceSample> namespaces = new ArrayList<>();
        Map<Long, ListenerOwner> owners = new HashMap<>();
        long i = 0;
        for (NamespaceSample ns : s.namespaces()) {
            List<ListenerSample> listeners = new ArrayList<>();
            for (ListenerSample l : ns.listeners()) {
                long id = 1000 + i++ / 10;
                listeners.add(new ListenerSample(
                        l.key(),
                        l.acceptQueue(),
                        l.backlog(),
                        l.full(),
                        l.drops(),
                        l.synQueue(),
                        l.sockets(),
                        l.peak(),
                        l.fullSeconds(),
                        OptionalLong.of(id),
                        java.util.OptionalDouble.of((i % 13) * 0.5)));
                owners.computeIfAbsent(
                        id,
                        k -> ListenerOwner.ofPath(String.format(
                                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%08x_1d2f_4a8b_9c0d_e1f2a3b4c5d6"
                                        + ".slice/cri-containerd-%064x.scope",
                                k, k)));
            }
            namespaces.add(new NamespaceSample(ns.netns(), ns.identity(), ns.counters(), ns.sysctls(), listeners));
        }
        return new Snapshot(
                s.timestampMillis(),
                s.roundSeconds(),
                namespaces,
                s.collectors(),
                s.netnsErrors(),
                s.listenersDropped(),
                owners);
    }

    @TearDown
    public void stop() {
        client.close();
        server.close();
    }

    /** Per snapshot: rows sorted by trouble and the unfiltered JSON. */
    @Benchmark
    public int build() {
        return ListenersJson.render(snapshot.timestampMillis(), ListenerRows.of(snapshot))
                .length();
    }

    @Benchmark
    public int get() throws IOException, InterruptedException {
        return client.send(all, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    /** With Accept-Encoding: gzip (compressed once per snapshot). */
    @Benchmark
    public int getGzip() throws IOException, InterruptedException {
        return client.send(gzipped, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }

    @Benchmark
    public int getFiltered() throws IOException, InterruptedException {
        return client.send(filtered, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }
}
