package com.salespipeline.query.duration;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * How long a set of completed visits took: count, mean, nearest-rank median and 90th percentile, and the
 * longest, in seconds (see {@link Seconds}); all but the count null when there are none.
 */
public record DurationSummary(long count, Double avgSeconds, Number p50Seconds, Number p90Seconds,
                              Number maxSeconds) {

    /** @param micros the durations in microseconds, in any order; sorted in place */
    public static DurationSummary of(long[] micros) {
        if (micros.length == 0) {
            return new DurationSummary(0, null, null, null, null);
        }
        Arrays.sort(micros);
        return new DurationSummary(micros.length, Seconds.average(total(micros), micros.length),
                Seconds.of(micros[(int) NearestRank.rank(50, micros.length) - 1]),
                Seconds.of(micros[(int) NearestRank.rank(90, micros.length) - 1]),
                Seconds.of(micros[micros.length - 1]));
    }

    /** From durations summarised elsewhere: their count (at least 1), total, percentiles and longest. */
    public static DurationSummary of(long count, BigDecimal totalMicros, long p50Micros, long p90Micros,
                                     long maxMicros) {
        return new DurationSummary(count, Seconds.average(totalMicros, count), Seconds.of(p50Micros),
                Seconds.of(p90Micros), Seconds.of(maxMicros));
    }

    private static BigDecimal total(long[] micros) {
        try {
            long total = 0;
            for (long value : micros) {
                total = Math.addExact(total, value);
            }
            return BigDecimal.valueOf(total);
        } catch (ArithmeticException beyondLong) {
            BigDecimal total = BigDecimal.ZERO;
            for (long value : micros) {
                total = total.add(BigDecimal.valueOf(value));
            }
            return total;
        }
    }
}
