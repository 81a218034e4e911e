package io.listenq.exporter.http;

import io.listenq.exporter.exposition.RowFamilies;
import io.listenq.exporter.exposition.RowWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@link ExpositionCache} encodes: the registry's families, and, for a writer that takes them ({@link RowWriter}),
 * the families a collector keeps as rows in place of the registry's data points for them.
 */
final class RegistryView {
    /**
     * Families written from rows rather than from the registry ({@link RowFamilies}); a null supplier: none.
     *
     * @param names the registry's names of those families, left out of its scrape when the rows are written
     */
    record Rows(Supplier<RowFamilies> rows, Set<String> names) {
        static final Rows NONE = new Rows(null, Set.of());
    }

    private final PrometheusRegistry registry;
    private final Rows rows;

    RegistryView(PrometheusRegistry registry, Rows rows) {
        this.registry = registry;
        this.rows = rows;
    }

    /**
     * A lower bound of the encoded size of the row families, before anything was encoded: 64 bytes a point (a text
     * line is its family's name, its label block and a value; a protobuf metric its label pairs and a double). 0
     * without rows.
     */
    long rowBytesAtLeast() {
        RowFamilies r = rows.rows() == null ? null : rows.rows().get();
        if (r == null) {
            return 0;
        }
        long points = 0;
        for (int f = 0; f < r.count(); f++) {
            points += r.points(f);
        }
        return 64 * points;
    }

    /** A view for one encode pass: the formats of one round share its scrapes. */
    Pass pass() {
        return new Pass();
    }

    /**
     * One encode pass's view of the registry, scraped at most once per way: everything, for a writer that takes no
     * rows; or all but the row families, plus the rows, for one that does.
     */
    final class Pass {
        private MetricSnapshots all;
        private MetricSnapshots withoutRows;
        private RowFamilies rowFamilies;

        void writeTo(ExpositionFormatWriter writer, OutputStream out) throws IOException {
            if (rows.rows() != null && writer instanceof RowWriter w) {
                if (withoutRows == null) {
                    withoutRows = registry.scrape(name -> !rows.names().contains(name));
                    rowFamilies = rows.rows().get();
                }
                w.write(out, withoutRows, rowFamilies);
            } else {
                all = all != null ? all : registry.scrape();
                writer.write(out, all);
            }
        }
    }

    /** Both bodies of one pass: the plain bytes and the gzip sink. */
    static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }

    /** Counts what goes through to {@code out}. */
    static final class Counting extends OutputStream {
        private final OutputStream out;
        int count;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
