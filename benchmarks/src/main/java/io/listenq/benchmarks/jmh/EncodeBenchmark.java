package io.listenq.benchmarks.jmh;

import io.listenq.exporter.exposition.CachedProtobufWriter;
import io.listenq.exporter.exposition.CachedTextWriter;
import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.exposition.RowWriter;
import io.listenq.exporter.metrics.ListenqCollector;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
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
 * One encode of the exposition bodies the exporter keeps, at 1,000 namespaces x 10 listeners (10,000 listener series):
 * plain text, gzip text, protobuf. The families are those of an idle round (the collector hands back the same series
 * objects round after round), built once. Run it with the shipped JIT and GC ({@code -jvmArgs "-XX:TieredStopAtLevel=1
 * -XX:+UseSerialGC"}) and {@code -prof gc} for the bytes allocated per encode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EncodeBenchmark {
    @Param({"1000x10"})
    public String layout;

    /** zlib level of {@link #gzip()}: the exporter's GzipSink uses 1 (6 is zlib's default). */
    @Param({"1"})
    public int gzipLevel;

    /**
     * {@code client}: client_java's text writer; {@code cached}: the exporter's ({@link CachedTextWriter});
     * {@code -om}: the same for OpenMetrics (what Prometheus asks for). {@link #protobuf()}: client_java's protobuf
     * writer or the exporter's ({@link CachedProtobufWriter}). {@code rows}: the exporter's writers as it runs them,
     * the listener and namespace families written from {@link RowFamilies} (no client_java points for them).
     */
    @Param({"client", "cached", "rows"})
    public String textWriter;

    private MetricSnapshots families;
    /** The row families when {@code rows}, else null ({@link #families} then holds every family). */
    private RowFamilies rows;

    private ExpositionFormatWriter text;
    private ExpositionFormatWriter protobuf;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 << 20);
    private Deflater deflater;

    @Setup
    public void build() {
        String[] nm = layout.split("x");
        var snapshot = ExpositionBenchmark.snapshot(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
        ListenqCollector collector = new ListenqCollector(() -> snapshot, "bench");
        if (textWriter.equals("rows")) {
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(collector);
            families =
                    registry.scrape(name -> !ListenqCollector.rowFamilyNames().contains(name));
            rows = collector.rows();
        } else {
            families = collector.collect();
        }
        deflater = new Deflater(gzipLevel, true);
        text = switch (textWriter) {
            case "cached", "rows" -> CachedTextWriter.text();
            case "client-om" -> OpenMetricsTextFormatWriter.create();
            case "cached-om" -> CachedTextWriter.openMetrics();
            default -> PrometheusTextFormatWriter.create();
        };
        ExpositionFormatWriter clientProtobuf = ExpositionFormats.init().getPrometheusProtobufWriter();
        protobuf = textWriter.equals("client") || textWriter.equals("client-om")
                ? clientProtobuf
                : CachedProtobufWriter.replacing(clientProtobuf);
    }

    @TearDown
    public void end() {
        System.out.println("body of the last call: " + body.size() + " bytes");
        deflater.end();
    }

    /** The plain text body. */
    @Benchmark
    public int text() throws IOException {
        body.reset();
        write(text, body);
        return body.size();
    }

    /** The text, deflated while it is written (the body a Prometheus scrape gets). */
    @Benchmark
    public int gzip() throws IOException {
        body.reset();
        deflater.reset();
        DeflaterOutputStream z = new DeflaterOutputStream(body, deflater, 8192);
        write(text, z);
        z.finish();
        return body.size();
    }

    /** The protobuf body. */
    @Benchmark
    public int protobuf() throws IOException {
        body.reset();
        write(protobuf, body);
        return body.size();
    }

    private void write(ExpositionFormatWriter w, OutputStream out) throws IOException {
        if (rows != null) {
            ((RowWriter) w).write(out, families, rows);
        } else {
            w.write(out, families);
        }
    }
}
