package com.salespipeline.query.duration;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Durations kept in microseconds, shown in seconds: a whole number of seconds as an integer, anything
 * finer as a decimal; averages always as decimals.
 */
public final class Seconds {

    private static final BigDecimal MICROS_PER_SECOND = BigDecimal.valueOf(1_000_000L);

    private Seconds() {
    }

    public static Number of(Long micros) {
        if (micros == null) {
            return null;
        }
        return micros % 1_000_000L == 0 ? (Number) (micros / 1_000_000L) : (Number) (micros / 1_000_000.0);
    }

    /** The mean in seconds of {@code count} durations adding up to {@code totalMicros}; null for none. */
    public static Double average(BigDecimal totalMicros, long count) {
        if (count == 0) {
            return null;
        }
        return totalMicros.divide(MICROS_PER_SECOND.multiply(BigDecimal.valueOf(count)), MathContext.DECIMAL128)
                .doubleValue();
    }

    /**
     * The mean age in seconds at {@code asOfMicros} of {@code count} things that started at instants adding
     * up to {@code totalStartMicros}; null for none.
     */
    public static Double averageAge(long asOfMicros, long count, BigDecimal totalStartMicros) {
        BigDecimal totalAge = BigDecimal.valueOf(asOfMicros).multiply(BigDecimal.valueOf(count)).subtract(totalStartMicros);
        if (totalAge.signum() < 0) {
            throw new IllegalArgumentException("something started after " + asOfMicros);
        }
        return average(totalAge, count);
    }
}
