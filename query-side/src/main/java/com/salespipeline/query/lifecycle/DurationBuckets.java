package com.salespipeline.query.lifecycle;

/**
 * The buckets of {@code read_duration_bucket}: a duration in microseconds falls in the bucket named by
 * its number of decimal digits and its first three digits (below 100, its own bucket; negative, bucket -1),
 * so a bucket is at most 1% wide and the bucket numbers grow with the durations. Decimal digits rather than
 * powers of two because SQL computes the same bucket from the text of the number on every database, which
 * {@link ReportAggregates#rebuildFromRows()} needs to agree with the projection to the last visit.
 */
final class DurationBuckets {

    static final int NEGATIVE = -1;
    /** The digits of a bucket from {@link #of}. */
    static final int FINE = 3;
    /** The digits of a bucket from {@link #coarse}. */
    static final int COARSE = 2;

    /** {@link #of} in SQL, for a BIGINT expression {@code micros} (not null). */
    static String sql(String micros) {
        String digits = "CAST(" + micros + " AS VARCHAR(20))";
        return "CASE WHEN " + micros + " < 0 THEN " + NEGATIVE + " WHEN " + micros + " < 100 THEN CAST(MOD(" + micros
                + ", 100) AS INTEGER) ELSE LENGTH(" + digits + ") * 1000 + CAST(SUBSTRING(" + digits
                + " FROM 1 FOR 3) AS INTEGER) END";
    }

    private DurationBuckets() {
    }

    static int of(long micros) {
        if (micros < 0) {
            return NEGATIVE;
        }
        if (micros < 100) {
            return (int) micros;
        }
        String digits = Long.toString(micros);
        return digits.length() * 1000 + Integer.parseInt(digits.substring(0, 3));
    }

    /**
     * The bucket of the first two digits that holds the fine bucket: fine buckets {@code 10 k} to
     * {@code 10 k + 9} make coarse bucket {@code k}.
     */
    static int coarse(int fine) {
        return fine == NEGATIVE ? NEGATIVE : fine / 10;
    }

    /** {@link #coarse} in SQL, for an INTEGER expression. */
    static String coarseSql(String fine) {
        return "CASE WHEN " + fine + " = " + NEGATIVE + " THEN " + NEGATIVE + " ELSE " + fine + " / 10 END";
    }

    /** The fine buckets of a coarse bucket, first and last. */
    static int[] fineOf(int coarse) {
        return coarse == NEGATIVE ? new int[] {NEGATIVE, NEGATIVE} : new int[] {coarse * 10, coarse * 10 + 9};
    }

    /** The smallest duration in the (fine) bucket. */
    static long lowest(int bucket) {
        if (bucket == NEGATIVE) {
            return Long.MIN_VALUE;
        }
        if (bucket < 100) {
            return bucket;
        }
        return (bucket % 1000) * pow10(bucket / 1000 - 3);
    }

    /** The largest duration in the (fine) bucket. */
    static long highest(int bucket) {
        if (bucket == NEGATIVE) {
            return -1;
        }
        if (bucket < 100) {
            return bucket;
        }
        long scale = pow10(bucket / 1000 - 3);
        long lowest = (bucket % 1000) * scale;
        // the last bucket of 19 digits would end past Long.MAX_VALUE
        return lowest > Long.MAX_VALUE - scale ? Long.MAX_VALUE : lowest + scale - 1;
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
