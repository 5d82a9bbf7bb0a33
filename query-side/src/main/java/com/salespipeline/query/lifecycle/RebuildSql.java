package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The statements of {@link ReportAggregates#rebuildFromRows()}: the same counts the projection keeps. */
final class RebuildSql {

    private static final String KEY_COLUMNS = "captured_day, source_key, campaign_key, owner_key";
    private static final String MONTH_KEY_COLUMNS = "changed_day, captured_month";
    private static final String COUNT_COLUMNS = String.join(", ", CohortCounts.COLUMNS);
    private static final String DURATION_BUCKET = "read_duration_bucket (source_key, campaign_key, owner_key, stage,"
            + " digits, bucket, visits, total_micros)";

    private RebuildSql() {
    }

    /**
     * One row per key of every (source, campaign, owner) and day of capture, for the contacts captured in a
     * window (two parameters, from and to, twice): each contact row counted, and each closed opportunity added
     * under its contact's key.
     */
    static String finestCounts() {
        return "INSERT INTO read_cohort_count (span, " + KEY_COLUMNS + ", " + COUNT_COLUMNS + ") " + finestCountsQuery();
    }

    /** The rows of {@link #finestCounts()}, with the columns of {@link KeyOrderedRows#cohortCounts}. */
    static String finestCountsQuery() {
        String key = day("c.captured_at") + " AS capture_day, c.source AS source, "
                + key("c.campaign") + " AS campaign_key, " + key("c.owner") + " AS owner_key";
        List<String> perContact = new ArrayList<>(List.of("1"));
        for (Stage stage : Stage.values()) {
            perContact.add("CASE WHEN c.stage = '" + stage.name() + "' THEN 1 ELSE 0 END");
        }
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            perContact.add("CASE WHEN c." + Stages.reachedColumn(stage) + " IS NOT NULL THEN 1 ELSE 0 END");
        }
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            perContact.add("CASE WHEN c." + Stages.enteredColumn(stage) + " IS NOT NULL THEN 1 ELSE 0 END");
        }
        for (Stage stage : Stages.FUNNEL) {
            perContact.add("CASE WHEN c.stage = '" + stage.name()
                    + "' THEN CAST(c.stage_entered_micros AS DECIMAL(38, 0)) ELSE 0 END");
        }
        List<String> perOpportunity = new ArrayList<>(java.util.Collections.nCopies(perContact.size(), "0"));
        perContact.addAll(List.of("0", "0"));
        perOpportunity.addAll(List.of("CASE WHEN o.outcome = 'WON' THEN 1 ELSE 0 END",
                "CASE WHEN o.outcome = 'LOST' THEN 1 ELSE 0 END"));
        List<String> named = new ArrayList<>();
        for (int i = 0; i < perContact.size(); i++) {
            perContact.set(i, perContact.get(i) + " AS n" + i);
            named.add("SUM(n" + i + ")");
        }
        return "SELECT '" + ReportAggregates.DAY + "', capture_day, source, campaign_key, owner_key, " + String.join(", ", named)
                + " FROM (SELECT " + key + ", " + String.join(", ", perContact) + " FROM read_contact c"
                + " WHERE c.captured_at >= ? AND c.captured_at < ?"
                + " UNION ALL SELECT " + key + ", " + String.join(", ", perOpportunity)
                + " FROM read_opportunity o JOIN read_contact c ON c.contact_id = o.contact_id"
                + " WHERE o.closed_at IS NOT NULL AND o.captured_at >= ? AND o.captured_at < ?) counted"
                + " GROUP BY capture_day, source, campaign_key, owner_key";
    }

    /**
     * The rows of a span (the parameter) of one coarser subset of (source, campaign, owner), each a bit set
     * (1 source, 2 campaign, 4 owner), added up from the rows of a finer subset; with {@code by}, of one value
     * of that key column only (a second parameter).
     */
    static String coarserCounts(String span, int subset, int finer, String by) {
        return "INSERT INTO read_cohort_count (span, " + KEY_COLUMNS + ", " + COUNT_COLUMNS + ")"
                + " SELECT span, captured_day, " + coarser("read_cohort_count", List.of("span", "captured_day"),
                "span = ?" + (by == null ? "" : " AND " + by + " = ?"), sums(), subset, finer);
    }

    /**
     * The key columns of {@code subset}, {@code values}, and the rest of a query that adds them up from the
     * rows of subset {@code finer} of {@code table}, grouped by {@code groups} too.
     */
    private static String coarser(String table, List<String> groups, String condition, String values, int subset,
                                  int finer) {
        String any = "'" + ReportAggregates.ANY + "'";
        List<String> keys = List.of("source_key", "campaign_key", "owner_key");
        List<String> select = new ArrayList<>();
        List<String> where = new ArrayList<>(List.of(condition));
        List<String> grouped = new ArrayList<>(groups);
        for (int i = 0; i < keys.size(); i++) {
            boolean kept = (subset & (1 << i)) != 0;
            select.add(kept ? keys.get(i) : any);
            where.add(keys.get(i) + ((finer & (1 << i)) != 0 ? " <> " : " = ") + any);
            if (kept) {
                grouped.add(keys.get(i));
            }
        }
        return String.join(", ", select) + ", " + values + " FROM " + table + " WHERE " + String.join(" AND ", where)
                + " GROUP BY " + String.join(", ", grouped);
    }

    /** The rows of every key for contacts captured at any time, added up from its day rows. */
    static String everCounts() {
        return "INSERT INTO read_cohort_count (span, " + KEY_COLUMNS + ", " + COUNT_COLUMNS + ")"
                + " SELECT '" + ReportAggregates.EVER + "', 0, source_key, campaign_key, owner_key, " + sums()
                + " FROM read_cohort_count WHERE span = '" + ReportAggregates.DAY + "'"
                + " GROUP BY source_key, campaign_key, owner_key";
    }

    /**
     * The change rows of every (source, campaign, owner), from the rows. A contact adds to the counts in pieces,
     * each a value held over a span of time under one owner: the contact itself, each stage reached or entered
     * (from then on), each stage visit (its stage, and its start while open), each closed opportunity (from its
     * close), each cut by the owner periods. A piece adds its value on the day it starts and takes it away on
     * the day it ends, as the projection's changes do; what both do within one day sums to the same.
     */
    static String finestChanges() {
        return "INSERT INTO read_cohort_count (span, " + KEY_COLUMNS + ", " + COUNT_COLUMNS + ") "
                + changesOf(false);
    }

    /**
     * The change rows of {@link #finestChanges()} of the contacts in a range of ids (two parameters, first and
     * last, three times), with the columns of {@link KeyOrderedRows#cohortCounts}. The ranges share days
     * of change, so their rows are still to be added up per key. A range of ids is read in the order the rows
     * are stored.
     */
    static String finestChangesInRange() {
        return changesOf(true);
    }

    /**
     * The rows of read_cohort_month_change: what each day's changes did to the counts of all contacts captured
     * in each month. The pieces of {@link #finestChanges()}, not cut by the owner periods: those cuts cancel out
     * in the counts of all contacts.
     */
    static String monthChanges() {
        return "INSERT INTO read_cohort_month_change (" + MONTH_KEY_COLUMNS + ", " + COUNT_COLUMNS + ") "
                + monthChangesOf(false);
    }

    /** The rows of {@link #monthChanges()} of the contacts in a range of ids, as {@link #finestChangesInRange()}. */
    static String monthChangesInRange() {
        return monthChangesOf(true);
    }

    /** The change rows, as a query with the columns of read_cohort_count, of every contact or of a window. */
    private static String changesOf(boolean windowed) {
        // grouped by the raw values, made keys once per group rather than once per piece
        return changes("'" + ReportAggregates.CHANGED + "' AS span, d AS captured_day, src AS source_key, "
                + key("cmp") + " AS campaign_key, " + key("own") + " AS owner_key", "src, cmp, own",
                heldFromThenOn(windowed) + " UNION ALL "
                + visitsHeld(windowed) + " UNION ALL " + closingsHeld(windowed), false);
    }

    /** The rows of read_cohort_month_change, as a query with its columns, of every contact or of a window. */
    private static String monthChangesOf(boolean windowed) {
        return changes("d AS changed_day, captured_month", "captured_month", heldPerMonth(windowed) + " UNION ALL "
                + visitsPerMonth(windowed) + " UNION ALL " + closingsPerMonth(windowed), true);
    }

    /**
     * Per day and key: each piece of {@code pieces} (start s, end e, the key columns {@code keys}, then the
     * index c of the count column it adds to and its value v) added on the day it starts and taken away on the
     * day it ends.
     *
     * @param fewKeys whether there are few days and keys: the pieces are then added up per column first, one
     *                value a row, and only then spread over the columns (12 s instead of 27 s for the months of
     *                capture at a million contacts on PostgreSQL). With a group for nearly every piece, as per
     *                source, campaign and owner, that first step would add nothing up.
     */
    private static String changes(String select, String keys, String pieces, boolean fewKeys) {
        String pieceKeys = java.util.Arrays.stream(keys.split(", ")).map(k -> "p." + k)
                .collect(Collectors.joining(", "));
        String changes = "SELECT CASE WHEN m.m = 1 THEN " + day("p.s") + " ELSE " + day("p.e") + " END AS d, "
                + pieceKeys + ", p.c AS c, m.m * p.v AS v FROM (" + pieces + ") p"
                + " JOIN (VALUES (1), (-1)) AS m(m) ON m.m = 1 OR p.e IS NOT NULL";
        List<String> values = new ArrayList<>();
        for (int i = 0; i < CohortCounts.COLUMNS.size(); i++) {
            values.add("SUM(CASE WHEN c = " + i + " THEN v ELSE 0 END) AS " + CohortCounts.COLUMNS.get(i));
        }
        String perColumn = fewKeys ? "SELECT d, " + keys + ", c, SUM(v) AS v FROM (" + changes + ") changes"
                + " GROUP BY d, " + keys + ", c" : changes;
        return "SELECT " + select + ", " + String.join(", ", values) + " FROM (" + perColumn + ") per_column"
                + " GROUP BY d, " + keys;
    }

    private static String contactRange(String alias, boolean windowed) {
        return windowed ? " AND " + alias + ".contact_id >= ? AND " + alias + ".contact_id <= ?" : "";
    }

    /** Conditions as a WHERE clause, where H2 picks the index for them (not in a join's ON). */
    private static String where(String conditions) {
        return conditions.isEmpty() ? "" : " WHERE" + conditions.substring(" AND".length());
    }

    /**
     * Per owner period, the contact and each stage it reached or entered, held from when that happened (or the
     * period began) to the period's end. Component 0 is the contact, then reached and entered per stage.
     */
    private static String heldFromThenOn(boolean windowed) {
        String time = heldSince();
        return "SELECT CASE WHEN " + time + " > op.valid_from THEN " + time + " ELSE op.valid_from END AS s,"
                + " op.valid_to AS e, c.source AS src, c.campaign AS cmp, op.owner AS own, " + HELD_COLUMN
                + " FROM read_contact c JOIN read_owner_period op ON op.contact_id = c.contact_id"
                + " JOIN (VALUES " + heldComponents() + ") AS k(k) ON " + time + " IS NOT NULL"
                + " AND (op.valid_to IS NULL OR " + time + " < op.valid_to)" + where(contactRange("c", windowed));
    }

    /** The contact and each stage it reached or entered, held from when that happened on. */
    private static String heldPerMonth(boolean windowed) {
        String time = heldSince();
        return "SELECT " + time + " AS s, " + NO_END + " AS e, c.captured_month AS captured_month, "
                + HELD_COLUMN + " FROM read_contact c JOIN (VALUES " + heldComponents() + ") AS k(k) ON "
                + time + " IS NOT NULL" + where(contactRange("c", windowed));
    }

    /** A piece held from then on: an end of the type of the others. */
    private static final String NO_END = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)";

    /** The times that component k of the pieces held from then on begins. */
    private static List<String> heldTimes() {
        List<String> times = new ArrayList<>(List.of("c.captured_at"));
        List<Stage> later = Stages.FUNNEL.subList(1, Stages.FUNNEL.size());
        later.forEach(stage -> times.add("c." + Stages.reachedColumn(stage)));
        later.forEach(stage -> times.add("c." + Stages.enteredColumn(stage)));
        return times;
    }

    private static String heldSince() {
        List<String> times = heldTimes();
        StringBuilder time = new StringBuilder("CASE k.k");
        for (int k = 0; k < times.size(); k++) {
            time.append(" WHEN ").append(k).append(" THEN ").append(times.get(k));
        }
        return time.append(" END").toString();
    }

    private static String heldComponents() {
        return java.util.stream.IntStream.range(0, heldTimes().size()).mapToObj(k -> "(" + k + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * The column and value of component k: the contact counts 1 in column 0; reached and entered follow the
     * stage counts in the columns, in the order of the components.
     */
    private static final String HELD_COLUMN = "CASE WHEN k.k = 0 THEN 0 ELSE " + Stage.values().length
            + " + k.k END AS c, CAST(1 AS BIGINT) AS v";

    /** Each stage visit while it was open, cut by the owner periods: its stage, and its start for the mean age. */
    private static String visitsHeld(boolean windowed) {
        return "SELECT CASE WHEN v.entered_at > op.valid_from THEN v.entered_at ELSE op.valid_from END AS s,"
                + " CASE WHEN v.left_at IS NULL THEN op.valid_to WHEN op.valid_to IS NULL THEN v.left_at"
                + " WHEN v.left_at < op.valid_to THEN v.left_at ELSE op.valid_to END AS e,"
                + " v.source AS src, v.campaign AS cmp, op.owner AS own, " + VISIT_COLUMN
                + " FROM read_stage_visit v JOIN read_owner_period op ON op.contact_id = v.contact_id"
                + " AND (v.left_at IS NULL OR op.valid_from < v.left_at)"
                + " AND (op.valid_to IS NULL OR op.valid_to > v.entered_at)" + VISIT_PARTS
                + where(contactRange("v", windowed));
    }

    /** Each stage visit while it was open. */
    private static String visitsPerMonth(boolean windowed) {
        return "SELECT v.entered_at AS s, v.left_at AS e, v.captured_month AS captured_month, "
                + VISIT_COLUMN + " FROM read_stage_visit v" + VISIT_PARTS + where(contactRange("v", windowed));
    }

    /** A visit's parts: q 0 counts it in its stage, q 1 (funnel stages only) adds its start for the mean age. */
    private static final String VISIT_PARTS = " JOIN (VALUES (0), (1)) AS q(q) ON q.q = 0 OR "
            + Cohort.notIndexed("v.stage") + " IN (" + funnelStages() + ")";

    /** The column and value of a visit's part q. */
    private static final String VISIT_COLUMN = visitColumn();

    private static String visitColumn() {
        StringBuilder current = new StringBuilder("CASE v.stage");
        for (Stage stage : Stage.values()) {
            current.append(" WHEN '").append(stage.name()).append("' THEN ").append(1 + stage.ordinal());
        }
        int open = 1 + Stage.values().length + 2 * (Stages.FUNNEL.size() - 1);
        StringBuilder started = new StringBuilder("CASE v.stage");
        for (Stage stage : Stages.FUNNEL) {
            started.append(" WHEN '").append(stage.name()).append("' THEN ").append(open + stage.funnelOrder());
        }
        return "CASE WHEN q.q = 0 THEN " + current + " END ELSE " + started + " END END AS c,"
                + " CASE WHEN q.q = 0 THEN CAST(1 AS BIGINT) ELSE v.entered_micros END AS v";
    }

    /** Each closed opportunity from its close, cut by the owner periods. */
    private static String closingsHeld(boolean windowed) {
        return "SELECT CASE WHEN o.closed_at > op.valid_from THEN o.closed_at ELSE op.valid_from END AS s,"
                + " op.valid_to AS e, o.source AS src, o.campaign AS cmp, op.owner AS own, " + CLOSING_COLUMN
                + " FROM read_opportunity o JOIN read_owner_period op ON op.contact_id = o.contact_id"
                + " AND (op.valid_to IS NULL OR o.closed_at < op.valid_to) WHERE o.closed_at IS NOT NULL"
                + contactRange("o", windowed);
    }

    /** Each closed opportunity from its close. */
    private static String closingsPerMonth(boolean windowed) {
        return "SELECT o.closed_at AS s, " + NO_END + " AS e, o.captured_month AS captured_month, "
                + CLOSING_COLUMN + " FROM read_opportunity o WHERE o.closed_at IS NOT NULL"
                + contactRange("o", windowed);
    }

    /** The column and value of a closed opportunity: won or lost, the last two columns. */
    private static final String CLOSING_COLUMN = "CASE o.outcome WHEN 'WON' THEN " + (CohortCounts.COLUMNS.size() - 2)
            + " WHEN 'LOST' THEN " + (CohortCounts.COLUMNS.size() - 1) + " END AS c, CAST(1 AS BIGINT) AS v";

    /** Change rows that add nothing: the day's changes of the key cancelled out. */
    static String dropEmptyChanges() {
        return "DELETE FROM read_cohort_count WHERE " + ReportAggregates.EMPTY_CHANGE;
    }

    /** Rows of read_cohort_month_change that add nothing. */
    static String dropEmptyMonthChanges() {
        return "DELETE FROM read_cohort_month_change WHERE " + ReportAggregates.NO_COUNTS;
    }

    /** {@link ReportAggregates#day} in SQL. */
    private static String day(String timestamp) {
        return periodOf(timestamp, 1);
    }

    /** {@link ReportAggregates#period} in SQL. */
    private static String period(String timestamp) {
        return periodOf(timestamp, ReportAggregates.PERIOD_DAYS);
    }

    private static String periodOf(String timestamp, int days) {
        return "CAST(FLOOR(EXTRACT(EPOCH FROM " + timestamp + ") / " + 86_400L * days + ") AS INTEGER)";
    }

    private static String sums() {
        return CohortCounts.COLUMNS.stream().map(c -> "SUM(" + c + ")").collect(Collectors.joining(", "));
    }

    /**
     * The completed visits of the funnel stages per fine bucket under the keys of one subset of (source,
     * campaign, owner), a bit set as in {@link #coarserCounts}.
     */
    static String fineDurationBuckets(int subset) {
        String any = "'" + ReportAggregates.ANY + "'";
        String bucket = DurationBuckets.sql("v.duration_micros");
        return "INSERT INTO " + DURATION_BUCKET + " SELECT source_key, campaign_key, owner_key, stage, "
                + DurationBuckets.FINE + ", bucket, COUNT(*), SUM(CAST(duration_micros AS DECIMAL(38, 0)))"
                + " FROM (SELECT " + ((subset & 1) != 0 ? "v.source" : any) + " AS source_key, "
                + ((subset & 2) != 0 ? key("v.campaign") : any) + " AS campaign_key, "
                + ((subset & 4) != 0 ? key("c.owner") : any) + " AS owner_key,"
                + " v.stage AS stage, " + bucket + " AS bucket, v.duration_micros AS duration_micros"
                + " FROM read_stage_visit v" + ((subset & 4) != 0 ? " JOIN read_contact c ON c.contact_id = v.contact_id" : "")
                + " WHERE v.duration_micros IS NOT NULL AND v.stage IN (" + funnelStages() + ")) visits"
                + " GROUP BY source_key, campaign_key, owner_key, stage, bucket";
    }

    /** The fine buckets of one coarser subset of (source, campaign, owner), added up from a finer subset. */
    static String coarserDurationBuckets(int subset, int finer) {
        return "INSERT INTO " + DURATION_BUCKET + " SELECT " + coarser("read_duration_bucket",
                List.of("stage", "digits", "bucket"), "digits = " + DurationBuckets.FINE,
                "stage, digits, bucket, SUM(visits), SUM(total_micros)", subset, finer);
    }

    /**
     * Each completed visit of a funnel stage with what the duration tables count it under: its source, campaign
     * key and contact's owner key, stage, fine and coarse bucket, period of its end, day of its contact's capture,
     * and duration.
     */
    static String completedVisits() {
        String fine = DurationBuckets.sql("v.duration_micros");
        return "SELECT v.source AS source_key, " + key("v.campaign") + " AS campaign_key, " + key("c.owner")
                + " AS owner_key, v.stage AS stage, " + fine + " AS fine, " + DurationBuckets.coarseSql(fine)
                + " AS coarse, " + period("v.left_at") + " AS ended_period, " + day("v.captured_at")
                + " AS captured_day, v.duration_micros AS duration_micros FROM read_stage_visit v"
                + " JOIN read_contact c ON c.contact_id = v.contact_id WHERE v.duration_micros IS NOT NULL"
                + " AND v.stage IN (" + funnelStages() + ")";
    }

    /** The completed visits of the funnel stages per period of their end and fine bucket. */
    static String fineEndedPeriods() {
        return "INSERT INTO read_duration_period (ended_period, stage, digits, bucket, visits, total_micros)"
                + " SELECT ended_period, stage, " + DurationBuckets.FINE + ", bucket, COUNT(*),"
                + " SUM(CAST(duration_micros AS DECIMAL(38, 0))) FROM (SELECT " + period("v.left_at")
                + " AS ended_period, v.stage AS stage, "
                + DurationBuckets.sql("v.duration_micros") + " AS bucket, v.duration_micros AS duration_micros"
                + " FROM read_stage_visit v WHERE v.duration_micros IS NOT NULL AND v.stage IN (" + funnelStages()
                + ")) visits GROUP BY ended_period, stage, bucket";
    }

    /** The coarse buckets of every period, added up from its fine ones. */
    static String coarseEndedPeriods() {
        String coarse = DurationBuckets.coarseSql("bucket");
        return "INSERT INTO read_duration_period (ended_period, stage, digits, bucket, visits, total_micros)"
                + " SELECT ended_period, stage, " + DurationBuckets.COARSE + ", " + coarse + ", SUM(visits),"
                + " SUM(total_micros) FROM read_duration_period WHERE digits = " + DurationBuckets.FINE
                + " GROUP BY ended_period, stage, " + coarse;
    }

    /**
     * The completed visits of the funnel stages per day of their contact's capture and coarse bucket, for the
     * visits of the contacts captured in a window (two parameters, from and to).
     */
    static String capturedDurations() {
        return "INSERT INTO read_duration_captured (captured_day, stage, bucket, visits, total_micros)"
                + " SELECT captured_day, stage, bucket, COUNT(*), SUM(CAST(duration_micros AS DECIMAL(38, 0)))"
                + " FROM (SELECT " + day("v.captured_at") + " AS captured_day, v.stage AS stage, "
                + DurationBuckets.coarseSql(DurationBuckets.sql("v.duration_micros")) + " AS bucket,"
                + " v.duration_micros AS duration_micros FROM read_stage_visit v WHERE v.captured_at >= ?"
                + " AND v.captured_at < ? AND v.duration_micros IS NOT NULL AND " + Cohort.notIndexed("v.stage")
                + " IN (" + funnelStages()
                + ")) visits GROUP BY captured_day, stage, bucket";
    }

    private static String funnelStages() {
        return Stages.FUNNEL.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }

    /** The coarse buckets of every key, added up from its fine ones. */
    static String coarseDurationBuckets() {
        String coarse = DurationBuckets.coarseSql("bucket");
        return "INSERT INTO " + DURATION_BUCKET + " SELECT source_key, campaign_key, owner_key, stage, "
                + DurationBuckets.COARSE + ", " + coarse + ", SUM(visits), SUM(total_micros)"
                + " FROM read_duration_bucket WHERE digits = " + DurationBuckets.FINE
                + " GROUP BY source_key, campaign_key, owner_key, stage, " + coarse;
    }

    private static String key(String column) {
        return "CASE WHEN " + column + " IS NULL THEN '-' ELSE '=' || " + column + " END";
    }
}
