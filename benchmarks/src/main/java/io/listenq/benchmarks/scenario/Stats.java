package io.listenq.benchmarks.scenario;

import java.util.List;

/** Order statistics of a small sample, nearest-rank (no interpolation: with 15 rounds, p99 is the maximum). */
final class Stats {
    private Stats() {}

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }
}
