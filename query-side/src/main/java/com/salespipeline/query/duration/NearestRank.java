package com.salespipeline.query.duration;

import java.util.Arrays;

/**
 * Percentiles by nearest rank: the p-th percentile of n values is the smallest value with at least p% of
 * the values at or below it, i.e. the value at 1-based rank {@code ceil(p * n / 100)} in ascending order.
 * Integer arithmetic throughout, so that no rounding moves a rank.
 */
public final class NearestRank {

    private NearestRank() {
    }

    /** The 1-based rank of the p-th percentile among {@code count} values (count at least 1). */
    public static long rank(int percent, long count) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in 1..100: " + percent);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("no percentile of no values");
        }
        // ceil(p * n / 100) for positive numbers, in integers
        return Math.max(1, (Math.multiplyExact(percent, count) + 99) / 100);
    }

    /** The p-th percentile of the values, or null when there are none. */
    public static Long percentile(int percent, long[] values) {
        if (values.length == 0) {
            return null;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) rank(percent, sorted.length) - 1];
    }
}
