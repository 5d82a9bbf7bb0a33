package com.salespipeline.query.duration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurationSummaryTest {

    @Test
    void countMeanPercentilesAndMaxInSeconds() {
        long[] micros = {7_200_000_000L, 3_600_000_000L, 3_600_000_000L};

        assertThat(DurationSummary.of(micros))
                .isEqualTo(new DurationSummary(3, 4800.0, 3_600L, 7_200L, 7_200L));
    }

    @Test
    void tenValuesPutTheNinetiethPercentileAtTheNinth() {
        long[] micros = new long[10];
        for (int i = 0; i < 10; i++) {
            micros[i] = (10 - i) * 1_000_000L;
        }

        DurationSummary summary = DurationSummary.of(micros);
        assertThat(summary.p50Seconds()).isEqualTo(5L);
        assertThat(summary.p90Seconds()).isEqualTo(9L);
        assertThat(summary.maxSeconds()).isEqualTo(10L);
        assertThat(summary.avgSeconds()).isEqualTo(5.5);
    }

    @Test
    void noVisitsNoNumbers() {
        assertThat(DurationSummary.of(new long[0])).isEqualTo(new DurationSummary(0, null, null, null, null));
    }

    @Test
    void totalsBeyondLongRangeAreStillAveragedExactly() {
        long big = Long.MAX_VALUE / 2 + 1;
        DurationSummary summary = DurationSummary.of(new long[] {big, big, big});
        assertThat(summary.avgSeconds()).isEqualTo(big / 1_000_000.0);
        assertThat(summary.count()).isEqualTo(3);
    }
}
