package com.salespipeline.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * Response times in microseconds (3 significant digits, up to 10 minutes), read out as milliseconds. One per
 * thread while measuring, merged afterwards: a histogram is not thread-safe.
 */
public final class Latencies {

    private final Histogram histogram = new Histogram(600_000_000L, 3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(600_000_000L, nanos / 1000)));
    }

    public void add(Latencies other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at this percentile, in milliseconds. */
    public double percentileMs(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
        return histogram.getMaxValue() / 1000.0;
    }
}
