package com.salespipeline.query.lifecycle;

import static com.salespipeline.query.lifecycle.Timestamps.toDb;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What events do to the report aggregates, added up per row, to be written with one statement per row. The events
 * of a batch mostly change the same rows (the counts of all contacts, of the day, of a busy source or campaign), so
 * written per event every such row was updated, and every index of its table rewritten, once per event.
 *
 * <p>A row that the changes leave as it was is not written at all. A count row whose contacts drop to zero is
 * removed, as is a duration bucket left without visits: the rebuild from the rows has no such rows either. Change
 * rows ({@link ReportAggregates#CHANGED}, {@code read_cohort_month_change}) hold differences and stay.
 */
final class AggregateChanges {

    private static final String COUNT_KEY = " WHERE span = ? AND source_key = ? AND campaign_key = ? AND owner_key = ?"
            + " AND captured_day = ?";
    private static final String COLUMNS = String.join(", ", CohortCounts.COLUMNS);
    private static final String ADD_COLUMNS = CohortCounts.COLUMNS.stream().map(c -> c + " = " + c + " + ?")
            .collect(Collectors.joining(", "));
    private static final String COUNT_VALUES = ", ?".repeat(CohortCounts.COLUMNS.size()) + ")";
    private static final String ADD_TO_COUNT = "UPDATE read_cohort_count SET " + ADD_COLUMNS + COUNT_KEY;
    private static final String INSERT_COUNT = "INSERT INTO read_cohort_count (span, source_key, campaign_key,"
            + " owner_key, captured_day, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?" + COUNT_VALUES;
    private static final String REMOVE_EMPTIED_COUNT = "DELETE FROM read_cohort_count" + COUNT_KEY + " AND contacts = 0";
    private static final String ADVANCE_WATERMARK = "UPDATE read_report_watermark SET applied_until ="
            + " GREATEST(COALESCE(applied_until, ?), ?) WHERE id = 1";
    private static final String ADD_TO_MONTH_CHANGE = "UPDATE read_cohort_month_change SET " + ADD_COLUMNS
            + " WHERE changed_day = ? AND captured_month = ?";
    private static final String INSERT_MONTH_CHANGE = "INSERT INTO read_cohort_month_change (changed_day,"
            + " captured_month, " + COLUMNS + ") VALUES (?, ?" + COUNT_VALUES;

    /**
     * A table of completed visits per bucket: its name, whether a visit can leave it, and its statements (adding
     * visits and their total micros to a row, then the key; inserting a row, the key first; removing an emptied
     * row by its key).
     */
    record VisitTable(String name, boolean removable, String add, String insert, String remove) {

        static VisitTable of(String name, List<String> keyColumns, boolean removable) {
            String where = " WHERE " + keyColumns.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));
            return new VisitTable(name, removable,
                    "UPDATE " + name + " SET visits = visits + ?, total_micros = total_micros + ?" + where,
                    "INSERT INTO " + name + " (" + String.join(", ", keyColumns) + ", visits, total_micros) VALUES ("
                            + "?, ".repeat(keyColumns.size()) + "?, ?)",
                    "DELETE FROM " + name + where + " AND visits = 0");
        }
    }

    static final VisitTable DURATION_BUCKETS = VisitTable.of("read_duration_bucket",
            List.of("source_key", "campaign_key", "owner_key", "stage", "digits", "bucket"), true);
    static final VisitTable DURATIONS_PER_PERIOD = VisitTable.of("read_duration_period",
            List.of("stage", "digits", "bucket", "ended_period"), false);
    static final VisitTable DURATIONS_PER_CAPTURE_DAY = VisitTable.of("read_duration_captured",
            List.of("captured_day", "stage", "bucket"), false);

    private Instant watermark;
    /** Per (span, source_key, campaign_key, owner_key, captured_day). */
    private final Map<List<Object>, CohortCounts> counts = new LinkedHashMap<>();
    /** Per (changed_day, captured_month). */
    private final Map<List<Object>, CohortCounts> monthChanges = new LinkedHashMap<>();
    private final Map<VisitTable, Map<List<Object>, VisitSums>> visits = new LinkedHashMap<>();

    /** Visits and their total duration in micros, added to one bucket row. */
    private static final class VisitSums {
        long visits;
        BigDecimal totalMicros = BigDecimal.ZERO;

        boolean isZero() {
            return visits == 0 && totalMicros.signum() == 0;
        }
    }

    /** The reports may count events up to {@code at}. */
    void advanceWatermark(Instant at) {
        watermark = watermark == null || at.isAfter(watermark) ? at : watermark;
    }

    /** Adds {@code change} times {@code sign} to the count row of {@code key}. */
    void addCount(List<Object> key, CohortCounts change, int sign) {
        counts.computeIfAbsent(key, k -> new CohortCounts()).add(change, sign);
    }

    /** Adds {@code change} to the row of the contacts captured in {@code month} changed on {@code changedDay}. */
    void addMonthChange(long changedDay, String month, CohortCounts change) {
        monthChanges.computeIfAbsent(List.of(changedDay, month), k -> new CohortCounts()).add(change, 1);
    }

    /** Adds {@code visits} visits lasting {@code totalMicros} in all to the bucket row of {@code key}. */
    void addVisits(VisitTable table, List<Object> key, long visits, BigDecimal totalMicros) {
        VisitSums sums = this.visits.computeIfAbsent(table, t -> new LinkedHashMap<>())
                .computeIfAbsent(key, k -> new VisitSums());
        sums.visits += visits;
        sums.totalMicros = sums.totalMicros.add(totalMicros);
    }

    /** Adds everything {@code other} holds to these changes. */
    void addAll(AggregateChanges other) {
        if (other.watermark != null) {
            advanceWatermark(other.watermark);
        }
        other.counts.forEach((key, change) -> addCount(key, change, 1));
        other.monthChanges.forEach((key, change) -> addMonthChange((Long) key.get(0), (String) key.get(1), change));
        other.visits.forEach((table, rows) -> rows.forEach((key, sums) ->
                addVisits(table, key, sums.visits, sums.totalMicros)));
    }

    /**
     * Writes the changes through {@code jdbc} and forgets them. The watermark row goes first: it is the first lock
     * any transaction changing the aggregates takes, so two of them wait there rather than lock count rows in
     * opposite orders.
     */
    void write(JdbcTemplate jdbc) {
        if (watermark != null && jdbc.update(ADVANCE_WATERMARK, toDb(watermark), toDb(watermark)) == 0) {
            jdbc.update("INSERT INTO read_report_watermark (id, applied_until) VALUES (1, ?)", toDb(watermark));
        }
        writeCounts(jdbc);
        writeMonthChanges(jdbc);
        visits.forEach((table, rows) -> writeVisits(jdbc, table, rows));
        watermark = null;
        counts.clear();
        monthChanges.clear();
        visits.clear();
    }

    private void writeCounts(JdbcTemplate jdbc) {
        List<List<Object>> keys = counts.entrySet().stream().filter(e -> !isZero(e.getValue())).map(Map.Entry::getKey)
                .toList();
        int[] updated = jdbc.batchUpdate(ADD_TO_COUNT, keys.stream().map(key -> row(counts.get(key).values(), key)).toList());
        List<Object[]> emptied = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            List<Object> key = keys.get(i);
            CohortCounts change = counts.get(key);
            boolean changeRow = ReportAggregates.CHANGED.equals(key.get(0));
            if (updated[i] == 0) {
                if (change.contacts <= 0 && !changeRow) {
                    throw new IllegalStateException("no cohort count to change for " + key);
                }
                jdbc.update(INSERT_COUNT, row(key, change.values()));
            } else if (change.contacts < 0 && !changeRow) {
                emptied.add(key.toArray());
            }
        }
        if (!emptied.isEmpty()) {
            jdbc.batchUpdate(REMOVE_EMPTIED_COUNT, emptied);
        }
    }

    private void writeMonthChanges(JdbcTemplate jdbc) {
        List<List<Object>> keys = monthChanges.entrySet().stream().filter(e -> !isZero(e.getValue()))
                .map(Map.Entry::getKey).toList();
        int[] updated = jdbc.batchUpdate(ADD_TO_MONTH_CHANGE, keys.stream().map(key -> row(monthChanges.get(key).values(), key)).toList());
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                jdbc.update(INSERT_MONTH_CHANGE, row(keys.get(i), monthChanges.get(keys.get(i)).values()));
            }
        }
    }

    private static void writeVisits(JdbcTemplate jdbc, VisitTable table, Map<List<Object>, VisitSums> rows) {
        List<List<Object>> keys = rows.entrySet().stream().filter(e -> !e.getValue().isZero()).map(Map.Entry::getKey)
                .toList();
        int[] updated = jdbc.batchUpdate(table.add(), keys.stream()
                .map(key -> row(List.of(rows.get(key).visits, rows.get(key).totalMicros), key)).toList());
        List<Object[]> emptied = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            VisitSums sums = rows.get(keys.get(i));
            if (updated[i] == 0) {
                if (sums.visits <= 0) {
                    throw new IllegalStateException("no duration bucket to change in " + table.name() + " for "
                            + keys.get(i));
                }
                jdbc.update(table.insert(), row(keys.get(i), List.of(sums.visits, sums.totalMicros)));
            } else if (sums.visits < 0 && table.removable()) {
                emptied.add(keys.get(i).toArray());
            }
        }
        if (!emptied.isEmpty()) {
            jdbc.batchUpdate(table.remove(), emptied);
        }
    }

    private static Object[] row(List<Object> first, List<Object> then) {
        List<Object> row = new ArrayList<>(first);
        row.addAll(then);
        return row.toArray();
    }

    private static boolean isZero(CohortCounts counts) {
        return counts.values().stream().allMatch(v -> v instanceof BigDecimal d ? d.signum() == 0 : (Long) v == 0L);
    }
}
