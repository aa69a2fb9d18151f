package dev.gatehouse.cli;

import java.util.Arrays;
import java.util.List;

/** Sorted samples in nanoseconds, for {@code gatehouse bench}. */
record BenchSamples(long[] nanos) {

    static BenchSamples of(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new BenchSamples(sorted);
    }

    static BenchSamples ofMillis(List<Long> millis) {
        return of(millis.stream().map(m -> m * 1_000_000).toList());
    }

    double millis(double percentile) {
        int index = Math.min(nanos.length - 1, Math.max(0, (int) Math.ceil(percentile / 100 * nanos.length) - 1));
        return nanos[index] / 1e6;
    }

    double perSecond() {
        return 1000 / millis(50);
    }
}
