package com.salespipeline.query.duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NearestRankTest {

    @Test
    void rankIsTheCeilingOfPTimesNOverAHundred() {
        assertThat(NearestRank.rank(50, 1)).isEqualTo(1);
        assertThat(NearestRank.rank(50, 2)).isEqualTo(1);
        assertThat(NearestRank.rank(50, 3)).isEqualTo(2);
        assertThat(NearestRank.rank(50, 4)).isEqualTo(2);
        assertThat(NearestRank.rank(90, 10)).isEqualTo(9);
        assertThat(NearestRank.rank(90, 11)).isEqualTo(10);
        assertThat(NearestRank.rank(90, 30)).isEqualTo(27);
        assertThat(NearestRank.rank(90, 1)).isEqualTo(1);
        assertThat(NearestRank.rank(100, 7)).isEqualTo(7);
        assertThat(NearestRank.rank(1, 1_000_000_000L)).isEqualTo(10_000_000L);
    }

    @Test
    void percentileIsTheSmallestValueWithAtLeastPPercentAtOrBelowIt() {
        long[] values = {50, 15, 40, 20, 35};
        assertThat(NearestRank.percentile(30, values)).isEqualTo(20);
        assertThat(NearestRank.percentile(40, values)).isEqualTo(20);
        assertThat(NearestRank.percentile(50, values)).isEqualTo(35);
        assertThat(NearestRank.percentile(90, values)).isEqualTo(50);
        assertThat(NearestRank.percentile(100, values)).isEqualTo(50);
        assertThat(values).containsExactly(50, 15, 40, 20, 35);
    }

    @Test
    void percentilesOfTiesAndOfOneValue() {
        assertThat(NearestRank.percentile(50, new long[] {7, 7, 7, 9})).isEqualTo(7);
        assertThat(NearestRank.percentile(90, new long[] {7, 7, 7, 9})).isEqualTo(9);
        assertThat(NearestRank.percentile(90, new long[] {3})).isEqualTo(3);
        assertThat(NearestRank.percentile(50, new long[0])).isNull();
    }

    @Test
    void refusesPercentsOutsideOneToAHundredAndEmptyCounts() {
        assertThatThrownBy(() -> NearestRank.rank(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NearestRank.rank(101, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NearestRank.rank(50, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
