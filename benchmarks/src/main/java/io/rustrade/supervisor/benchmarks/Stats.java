package io.rustrade.supervisor.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Percentiles (nearest rank) and medians. */
final class Stats {

    private Stats() {}

    /** The {@code p}-th percentile of the values, nearest rank; NaN when there are none. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double max(long[] values) {
        return Arrays.stream(values).max().orElse(Long.MIN_VALUE);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream()
                .filter(v -> !Double.isNaN(v))
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double maxOf(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
