package com.salespipeline.query.duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class SecondsTest {

    @Test
    void wholeSecondsAreIntegersAndFractionsDecimals() {
        assertThat(Seconds.of(72_000_000_000L)).isEqualTo(72_000L);
        assertThat(Seconds.of(0L)).isEqualTo(0L);
        assertThat(Seconds.of(1_500_000L)).isEqualTo(1.5);
        assertThat(Seconds.of(1_000L)).isEqualTo(0.001);
        assertThat(Seconds.of(null)).isNull();
    }

    @Test
    void averageInSeconds() {
        assertThat(Seconds.average(BigDecimal.valueOf(3_000_000L), 2)).isEqualTo(1.5);
        assertThat(Seconds.average(BigDecimal.valueOf(86_400_000_000L * 3), 3)).isEqualTo(86_400.0);
        assertThat(Seconds.average(BigDecimal.ONE, 3)).isEqualTo(1.0 / 3_000_000);
        assertThat(Seconds.average(BigDecimal.ZERO, 0)).isNull();
    }

    @Test
    void averagesBeyondLongRangeStayExact() {
        BigDecimal total = BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(4));
        assertThat(Seconds.average(total, 4)).isEqualTo(Long.MAX_VALUE / 1_000_000.0);
    }

    @Test
    void averageAgeIsAsOfMinusTheMeanStart() {
        // started at 10 s and 40 s, seen at 100 s: ages 90 s and 60 s
        assertThat(Seconds.averageAge(100_000_000L, 2, BigDecimal.valueOf(50_000_000L))).isEqualTo(75.0);
        assertThat(Seconds.averageAge(100_000_000L, 0, BigDecimal.ZERO)).isNull();
        assertThatThrownBy(() -> Seconds.averageAge(10L, 1, BigDecimal.valueOf(11L)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
