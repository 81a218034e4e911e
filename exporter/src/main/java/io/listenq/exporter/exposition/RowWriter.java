package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;

/** A writer that takes {@link RowFamilies} beside the registry's families (the cached writers). */
public interface RowWriter {
    /**
     * The registry's families and {@code rows} (null: none), merged by name as client_java sorts families: the bytes
     * client_java would write for all of them as data points.
     */
    void write(OutputStream out, MetricSnapshots snapshots, RowFamilies rows) throws IOException;
}
