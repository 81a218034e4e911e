package io.listenq.exporter.exposition;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Several {@link RowFamilies} as one, their families sorted by Prometheus name. */
public final class MergedRows implements RowFamilies {
    private final RowFamilies[] part;
    private final int[] family;

    private MergedRows(RowFamilies[] part, int[] family) {
        this.part = part;
        this.family = family;
    }

    /** {@code parts}' families as one set, sorted by name (no two of the same name). */
    public static RowFamilies of(RowFamilies... parts) {
        record At(RowFamilies part, int family, String name) {}
        List<At> all = new ArrayList<>();
        for (RowFamilies p : parts) {
            for (int f = 0; f < p.count(); f++) {
                all.add(new At(p, f, p.prototype(f).getMetadata().getPrometheusName()));
            }
        }
        all.sort(Comparator.comparing(At::name));
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).name().equals(all.get(i - 1).name())) {
                throw new IllegalArgumentException("family " + all.get(i).name() + " twice");
            }
        }
        return new MergedRows(
                all.stream().map(At::part).toArray(RowFamilies[]::new),
                all.stream().mapToInt(At::family).toArray());
    }

    @Override
    public int count() {
        return family.length;
    }

    @Override
    public MetricSnapshot prototype(int f) {
        return part[f].prototype(family[f]);
    }

    @Override
    public int points(int f) {
        return part[f].points(family[f]);
    }

    @Override
    public double value(int f, int i) {
        return part[f].value(family[f], i);
    }

    @Override
    public byte[] text(int f, int i) {
        return part[f].text(family[f], i);
    }

    @Override
    public byte[] protobuf(int f, int i) {
        return part[f].protobuf(family[f], i);
    }
}
