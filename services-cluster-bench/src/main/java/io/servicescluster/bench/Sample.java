package io.servicescluster.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Durations of repeated runs, in nanoseconds; order statistics in milliseconds. */
record Sample(long[] nanos) {

    static Sample of(List<Long> values) {
        return new Sample(values.stream().mapToLong(Long::longValue).toArray());
    }

    private long[] sorted() {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** The value at quantile {@code q}, nearest rank. */
    double quantileMs(double q) {
        long[] s = sorted();
        if (s.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, rank))] / 1e6;
    }

    double medianMs() {
        long[] s = sorted();
        if (s.length == 0) {
            return Double.NaN;
        }
        int mid = s.length / 2;
        return (s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2.0) / 1e6;
    }

    double p90Ms() {
        return quantileMs(0.9);
    }

    double minMs() {
        return sorted().length == 0 ? Double.NaN : sorted()[0] / 1e6;
    }

    int count() {
        return nanos.length;
    }

    /** {@code median / p90 / min} in ms. */
    String brief() {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", medianMs(), p90Ms(), minMs());
    }
}
