package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DurationBucketsTest {

    private static final List<Long> DURATIONS = List.of(-7L, 0L, 9L, 99L, 100L, 101L, 999L, 1_000L, 1_009L,
            1_010L, 3_600_000_000L, 86_399_999_999L, 9_223_372_036_854_775_807L);

    @Test
    void eachDurationLiesInItsBucketAndBucketsGrowWithDurations() {
        int previous = Integer.MIN_VALUE;
        for (long duration : DURATIONS) {
            int bucket = DurationBuckets.of(duration);
            assertThat(bucket).as("bucket of %d", duration).isGreaterThanOrEqualTo(previous);
            assertThat(duration).isBetween(DurationBuckets.lowest(bucket), DurationBuckets.highest(bucket));
            previous = bucket;
        }
        assertThat(DurationBuckets.of(1_009L)).isNotEqualTo(DurationBuckets.of(1_010L));
        assertThat(DurationBuckets.highest(DurationBuckets.of(1_000L))).isEqualTo(1_009L);
        assertThat(DurationBuckets.of(-7L)).isEqualTo(DurationBuckets.of(-1L));
    }

    @Test
    void theDatabasesComputeTheSameBuckets() {
        for (ReadModelDatabase db : List.of(new ReadModelDatabase(), Postgres.readModel())) {
            for (long duration : DURATIONS) {
                Integer inSql = db.jdbc.queryForObject("SELECT " + DurationBuckets.sql("CAST(? AS BIGINT)")
                        .replace("?", String.valueOf(duration)), Integer.class);
                assertThat(inSql).as("bucket of %d in SQL", duration).isEqualTo(DurationBuckets.of(duration));
            }
        }
    }
}
