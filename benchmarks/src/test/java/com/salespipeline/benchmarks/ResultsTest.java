package com.salespipeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A ratio is never shown above what was measured, so that a target is never met by rounding. */
class ResultsTest {

    @Test
    void aRatioIsCutToThreeSignificantDigitsNotRoundedUp() {
        assertThat(Results.ratio(32_037, 64_114)).isEqualTo(0.499);
        assertThat(Results.ratio(1, 2)).isEqualTo(0.5);
        assertThat(Results.ratio(2_276, 15_494)).isEqualTo(0.146);
        assertThat(Results.ratio(3, 1)).isEqualTo(3.0);
        assertThat(Results.ratio(12_345, 1_000)).isEqualTo(12.3);
        assertThat(Results.ratio(0, 5)).isZero();
    }

    @Test
    void otherFiguresAreRoundedToTheNearest() {
        assertThat(Results.round(0.49968)).isEqualTo(0.5);
        assertThat(Results.round(1_234.6)).isEqualTo(1_235.0);
    }
}
