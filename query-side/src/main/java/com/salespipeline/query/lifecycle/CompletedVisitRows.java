package com.salespipeline.query.lifecycle;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rows of the three tables of completed funnel-stage visits, added up in memory (and spilled files) and
 * inserted in key order ({@link KeyOrderedRows}). A visit counts under the keys of
 * {@link ReportAggregates#DURATION_SUBSETS}, in its fine and coarse bucket; per period of its end in both; per day
 * of its contact's capture in the coarse one.
 */
final class CompletedVisitRows implements AutoCloseable {

    private final KeyOrderedRows buckets;
    private final KeyOrderedRows periods;
    private final KeyOrderedRows captured;

    CompletedVisitRows(int bufferRows) {
        buckets = KeyOrderedRows.durationBuckets(bufferRows);
        periods = KeyOrderedRows.durationsPerPeriod(bufferRows);
        captured = KeyOrderedRows.durationsPerCaptureDay(bufferRows);
    }

    /**
     * Counts one completed visit.
     *
     * @param keys the visit's source, campaign key and its contact's owner key
     */
    void add(String[] keys, String stage, int fine, int coarse, int endedPeriod, int capturedDay, BigDecimal micros) {
        for (int subset : ReportAggregates.DURATION_SUBSETS) {
            String source = (subset & ReportAggregates.SOURCE) != 0 ? keys[0] : ReportAggregates.ANY;
            String campaign = (subset & ReportAggregates.CAMPAIGN) != 0 ? keys[1] : ReportAggregates.ANY;
            String owner = (subset & ReportAggregates.OWNER) != 0 ? keys[2] : ReportAggregates.ANY;
            buckets.add(new Object[] {source, campaign, owner, stage, DurationBuckets.FINE, fine, 1L, micros});
            buckets.add(new Object[] {source, campaign, owner, stage, DurationBuckets.COARSE, coarse, 1L, micros});
        }
        periods.add(new Object[] {endedPeriod, stage, DurationBuckets.FINE, fine, 1L, micros});
        periods.add(new Object[] {endedPeriod, stage, DurationBuckets.COARSE, coarse, 1L, micros});
        captured.add(new Object[] {capturedDay, stage, coarse, 1L, micros});
    }

    /** Inserts the three tables' rows in key order, committing through {@code eachChunk} when given. */
    void insertInto(JdbcTemplate jdbc, TransactionTemplate eachChunk) {
        buckets.insertInto(jdbc, eachChunk);
        periods.insertInto(jdbc, eachChunk);
        captured.insertInto(jdbc, eachChunk);
    }

    @Override
    public void close() {
        KeyOrderedRows.closeAll(buckets, periods, captured);
    }
}
