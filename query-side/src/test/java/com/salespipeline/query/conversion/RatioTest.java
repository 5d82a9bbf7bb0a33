package com.salespipeline.query.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatioTest {

    @Test
    void rateIsNumeratorOverDenominator() {
        Ratio ratio = Ratio.of("LEAD", "MQL", 30, 100);
        assertThat(ratio.rate()).isEqualTo(0.3);
        assertThat(ratio.numerator()).isEqualTo(30);
        assertThat(ratio.denominator()).isEqualTo(100);
        assertThat(Ratio.of("A", "B", 1, 3).rate()).isEqualTo(1.0 / 3);
        assertThat(Ratio.of("A", "B", 0, 5).rate()).isEqualTo(0.0);
        assertThat(Ratio.of("A", "B", 5, 5).rate()).isEqualTo(1.0);
    }

    @Test
    void noRateWithoutADenominator() {
        assertThat(Ratio.of("LEAD", "MQL", 0, 0).rate()).isNull();
        assertThat(Ratio.rate(0, 0)).isNull();
    }

    @Test
    void refusesImpossibleCounts() {
        assertThatThrownBy(() -> Ratio.of("A", "B", 6, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ratio.of("A", "B", -1, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
