package com.salespipeline.query.lifecycle;

import static com.salespipeline.query.lifecycle.Timestamps.epochMicros;
import static com.salespipeline.query.lifecycle.Timestamps.toDb;

import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import com.salespipeline.events.StageChanged;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code read_cohort_count}, {@code read_cohort_month_change}, {@code read_duration_bucket},
 * {@code read_duration_period}, {@code read_duration_captured} and {@code read_report_watermark} (see the
 * migrations V4 and on) in step with
 * the lifecycle rows: the projection calls it in the transaction of each event, and {@link #rebuildFromRows()}
 * recomputes them all from the rows alone. Statements go through
 * the caller's {@link JdbcTemplate}, so a routed template keeps the generation of the rows.
 */
public class ReportAggregates {

    /** A key column outside the key's subset of (source, campaign, owner). */
    static final String ANY = "*";
    /** The span of the rows counting the contacts captured on one day. */
    static final String DAY = "D";
    /** The span of the rows counting the contacts captured at any time (captured_day 0). */
    static final String EVER = "A";
    /**
     * The span of the rows holding what the changes of one day (captured_day is the UTC day of the change's
     * business time) did to the counts of {@link #EVER}: summed over the days before a day, they are the counts
     * as they stood when that day began. A contact's events never go back in time, so each contact's changes
     * add up in its own order, however late they arrive.
     */
    static final String CHANGED = "C";
    /**
     * The condition of a row whose counts are all zero: in {@code read_cohort_month_change}, a day's changes
     * to a month of capture that cancelled out. The projection leaves such rows behind; a rebuild removes them.
     */
    public static final String NO_COUNTS = CohortCounts.COLUMNS.stream().map(c -> c + " = 0")
            .collect(Collectors.joining(" AND "));
    /**
     * The condition of a change row that adds nothing: the day's changes under its key cancelled out. The
     * projection leaves such rows behind; a rebuild removes them.
     */
    public static final String EMPTY_CHANGE = "span = '" + CHANGED + "' AND " + NO_COUNTS;

    /** The days of one period of {@code read_duration_period}: few rows to add up, few visits to scan. */
    static final int PERIOD_DAYS = 32;
    private static final long PERIOD_MICROS = 86_400_000_000L * PERIOD_DAYS;

    static final int SOURCE = 1;
    static final int CAMPAIGN = 2;
    static final int OWNER = 4;
    private static final int FINEST = SOURCE | CAMPAIGN | OWNER;
    private static final List<Integer> ALL_SUBSETS = List.of(0, SOURCE, CAMPAIGN, SOURCE | CAMPAIGN, OWNER,
            SOURCE | OWNER, CAMPAIGN | OWNER, FINEST);
    /**
     * The keys the completed visits are counted under: all contacts, and one of source, campaign and owner.
     * Not their combinations: their fine buckets would be nearly one row per visit (9.5M rows for 1M contacts,
     * seven minutes to rebuild on H2), for cohorts small enough to scan.
     */
    static final List<Integer> DURATION_SUBSETS = List.of(0, SOURCE, CAMPAIGN, OWNER);
    private static final Logger log = LoggerFactory.getLogger(ReportAggregates.class);

    /**
     * Keys a rebuild holds per table before it spills them (see {@link KeyOrderedRows}): 30-60 MB of count
     * rows with their keys and boxed values.
     */
    private static final int SORT_BUFFER_ROWS = 100_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate eachStatement;
    private final int sortBufferRows;

    /** Aggregates whose statements run in the caller's transaction. */
    public ReportAggregates(JdbcTemplate jdbc) {
        this(jdbc, null);
    }

    /**
     * @param eachStatement when not null, a rebuild commits each of its statements (each 10,000 rows that it inserts
     *                      in key order) in a transaction of its own (not {@link #rebuildUnlessBuilt()}, whose tables filled alone
     *                      must be complete or empty): for a generation that serves no report and takes no
     *                      event while it is rebuilt. H2 took 4.6 minutes to commit a rebuild of a million contacts
     *                      as one transaction (its undo log of several million rows); the watermark row,
     *                      written last, still marks the aggregates built only when they all are.
     */
    public ReportAggregates(JdbcTemplate jdbc, TransactionTemplate eachStatement) {
        this(jdbc, eachStatement, SORT_BUFFER_ROWS);
    }

    /** @param sortBufferRows rows of a rebuild held in memory before they are spilled (see {@link KeyOrderedRows}) */
    ReportAggregates(JdbcTemplate jdbc, TransactionTemplate eachStatement, int sortBufferRows) {
        this.jdbc = jdbc;
        this.eachStatement = eachStatement;
        this.sortBufferRows = sortBufferRows;
    }

    /** A statement of a rebuild: committed on its own when {@link #eachStatement} is given. */
    private int update(String sql, Object... args) {
        return eachStatement == null ? jdbc.update(sql, args)
                : eachStatement.execute(status -> jdbc.update(sql, args));
    }

    /** A contact's cohort key and what it adds to the counts, read before an event changes it. */
    record ContactState(long day, String source, String campaign, String owner, Stage stage,
                        long stageEnteredMicros, boolean[] reached, boolean[] entered) {
    }

    /** The columns of read_contact that {@link #contactState} reads, comma separated. */
    static final String STATE_COLUMNS = stateColumns();

    private static String stateColumns() {
        StringBuilder columns = new StringBuilder("captured_at, source, campaign, owner, stage, stage_entered_micros");
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            columns.append(", ").append(Stages.reachedColumn(stage)).append(", ").append(Stages.enteredColumn(stage));
        }
        return columns.toString();
    }

    /** The contact's state, or null when it is unknown. */
    ContactState state(UUID contactId) {
        List<ContactState> states = jdbc.query("SELECT " + STATE_COLUMNS + " FROM read_contact WHERE contact_id = ?",
                (rs, n) -> contactState(rs), contactId);
        return states.isEmpty() ? null : states.get(0);
    }

    /** The state in the current row of {@code rs}, which holds {@link #STATE_COLUMNS}. */
    static ContactState contactState(java.sql.ResultSet rs) throws java.sql.SQLException {
        boolean[] reached = new boolean[Stages.FUNNEL.size()];
        boolean[] entered = new boolean[Stages.FUNNEL.size()];
        reached[0] = entered[0] = true;
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            reached[stage.funnelOrder()] = rs.getObject(Stages.reachedColumn(stage)) != null;
            entered[stage.funnelOrder()] = rs.getObject(Stages.enteredColumn(stage)) != null;
        }
        return new ContactState(day(Timestamps.fromDb(rs, "captured_at")), rs.getString("source"),
                rs.getString("campaign"), rs.getString("owner"), Stage.valueOf(rs.getString("stage")),
                rs.getLong("stage_entered_micros"), reached, entered);
    }

    /** A new contact, in LEAD since {@code at}. Call it last in the event's savepoint (see {@link #keep}). */
    void captured(String source, String campaign, String owner, Instant at) {
        AggregateChanges changes = new AggregateChanges();
        CohortCounts lead = new CohortCounts();
        lead.contacts = 1;
        lead.current[Stage.LEAD.ordinal()] = 1;
        lead.openMicros[0] = BigDecimal.valueOf(epochMicros(at));
        changes.advanceWatermark(at);
        add(changes, day(at), day(at), source, campaign, owner, lead, 0, 1);
        keep(changes);
    }

    /**
     * The event, claimed and applied to the rows of the contact that stood at {@code before}. Call it last in the
     * event's savepoint (see {@link #keep}).
     */
    void applied(ContactState before, ContactEvent event, Instant at) {
        AggregateChanges changes = new AggregateChanges();
        changes.advanceWatermark(at);
        CohortCounts change = new CohortCounts();
        if (event instanceof StageChanged move && move.changesStage()) {
            moveStage(changes, before, move.toStage(), epochMicros(at), change);
        }
        if (event instanceof OpportunityWon) {
            change.won = 1;
        } else if (event instanceof OpportunityLost) {
            change.lost = 1;
        }
        long changed = day(at);
        add(changes, before.day(), changed, before.source(), before.campaign(), before.owner(), change, 0, 1);
        if (event instanceof OwnerAssigned assigned && !Objects.equals(before.owner(), assigned.owner())) {
            CohortCounts contact = contribution(before, event.contactId());
            // the rows the contact leaves are removed when it was their last (AggregateChanges.write)
            add(changes, before.day(), changed, before.source(), before.campaign(), before.owner(), contact, OWNER, -1);
            add(changes, before.day(), changed, before.source(), before.campaign(), assigned.owner(), contact, OWNER, 1);
            // the contact's completed visits count under its current owner, so they move with it
            List<CompletedVisit> visits = completedVisits(event.contactId());
            addCompletedVisits(changes, before.source(), before.campaign(), before.owner(), OWNER, visits, -1);
            addCompletedVisits(changes, before.source(), before.campaign(), assigned.owner(), OWNER, visits, 1);
        }
        keep(changes);
    }

    /**
     * Keeps one event's changes with those of the caller's transaction, which are written just before it commits
     * (without a transaction, at once). An event whose savepoint is rolled back never got here, so its changes
     * are dropped with its rows; a transaction rolled back drops all of them.
     */
    private void keep(AggregateChanges event) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            event.write(jdbc);
            return;
        }
        AggregateChanges pending = (AggregateChanges) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            AggregateChanges transaction = new AggregateChanges();
            TransactionSynchronizationManager.bindResource(this, transaction);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    transaction.write(jdbc);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(ReportAggregates.this);
                }
            });
            pending = transaction;
        }
        pending.addAll(event);
    }

    private void moveStage(AggregateChanges changes, ContactState before, Stage to, long atMicros, CohortCounts change) {
        Stage from = before.stage();
        change.current[from.ordinal()] = -1;
        change.current[to.ordinal()] = 1;
        if (from.isFunnelStage()) {
            long duration = atMicros - before.stageEnteredMicros();
            BigDecimal total = BigDecimal.valueOf(duration);
            change.openMicros[from.funnelOrder()] = BigDecimal.valueOf(-before.stageEnteredMicros());
            addCompletedVisits(changes, before.source(), before.campaign(), before.owner(), 0,
                    List.of(new CompletedVisit(from, duration)), 1);
            int fine = DurationBuckets.of(duration);
            int coarse = DurationBuckets.coarse(fine);
            long period = Math.floorDiv(atMicros, PERIOD_MICROS);
            changes.addVisits(AggregateChanges.DURATIONS_PER_PERIOD,
                    List.of(from.name(), DurationBuckets.FINE, fine, period), 1, total);
            changes.addVisits(AggregateChanges.DURATIONS_PER_PERIOD,
                    List.of(from.name(), DurationBuckets.COARSE, coarse, period), 1, total);
            changes.addVisits(AggregateChanges.DURATIONS_PER_CAPTURE_DAY, List.of(before.day(), from.name(), coarse), 1,
                    total);
        }
        if (to.isFunnelStage()) {
            change.openMicros[to.funnelOrder()] = BigDecimal.valueOf(atMicros);
            for (int s = 1; s <= to.funnelOrder(); s++) {
                change.reached[s] = before.reached()[s] ? 0 : 1;
            }
            change.entered[to.funnelOrder()] = before.entered()[to.funnelOrder()] ? 0 : 1;
        }
    }

    /** Everything the contact adds to the counts of its key. */
    private CohortCounts contribution(ContactState contact, UUID contactId) {
        CohortCounts counts = new CohortCounts();
        counts.contacts = 1;
        counts.current[contact.stage().ordinal()] = 1;
        for (int s = 1; s < Stages.FUNNEL.size(); s++) {
            counts.reached[s] = contact.reached()[s] ? 1 : 0;
            counts.entered[s] = contact.entered()[s] ? 1 : 0;
        }
        if (contact.stage().isFunnelStage()) {
            counts.openMicros[contact.stage().funnelOrder()] = BigDecimal.valueOf(contact.stageEnteredMicros());
        }
        jdbc.query("SELECT outcome, COUNT(*) AS n FROM read_opportunity WHERE contact_id = ? AND closed_at IS NOT NULL"
                + " GROUP BY outcome", rs -> {
                    if ("WON".equals(rs.getString("outcome"))) {
                        counts.won = rs.getLong("n");
                    } else {
                        counts.lost = rs.getLong("n");
                    }
                }, contactId);
        return counts;
    }

    /**
     * Adds {@code sign * change} to the rows of the keys of every subset that contains {@code including},
     * in all three spans: {@code day} is the day of capture, {@code changed} the day of the change. A change
     * to the counts of all contacts (the empty subset) is added to its month of capture and day of change too.
     */
    private static void add(AggregateChanges changes, long day, long changed, String source, String campaign,
                            String owner, CohortCounts change, int including, int sign) {
        for (Object[] key : keys(day, changed, source, campaign, owner, including)) {
            changes.addCount(List.of(key), change, sign);
        }
        if (including == 0) {
            String month = Timestamps.MONTH.format(Instant.ofEpochSecond(day * 86_400L));
            changes.addMonthChange(changed, month, new CohortCounts().add(change, sign));
        }
    }

    /** The keys of the contact in all three spans and every subset that contains {@code including}. */
    private static List<Object[]> keys(long day, long changed, String source, String campaign, String owner,
                                       int including) {
        List<Object[]> keys = new ArrayList<>();
        for (Object[] subset : subsetKeys(ALL_SUBSETS, source, campaign, owner, including)) {
            for (String span : List.of(DAY, EVER, CHANGED)) {
                keys.add(new Object[] {span, subset[0], subset[1], subset[2],
                        span.equals(DAY) ? day : span.equals(CHANGED) ? changed : 0L});
            }
        }
        return keys;
    }

    /** The (source, campaign, owner) keys of every subset of {@code subsets} that contains {@code including}. */
    private static List<Object[]> subsetKeys(List<Integer> subsets, String source, String campaign, String owner,
                                             int including) {
        List<Object[]> keys = new ArrayList<>();
        for (int subset : subsets) {
            if ((subset & including) == including) {
                keys.add(new Object[] {(subset & SOURCE) != 0 ? source : ANY,
                        (subset & CAMPAIGN) != 0 ? encode(campaign) : ANY, (subset & OWNER) != 0 ? encode(owner) : ANY});
            }
        }
        return keys;
    }

    /** A campaign or owner as a key: {@code -} for none, otherwise {@code =} and the value. */
    static String encode(String value) {
        return value == null ? "-" : "=" + value;
    }

    static String decode(String key) {
        return key.equals("-") ? null : key.substring(1);
    }

    /** The UTC day of an instant, as days since 1970-01-01. */
    static long day(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 86_400L);
    }

    /** The period of {@code read_duration_period} of an instant: days since 1970-01-01 divided by {@link #PERIOD_DAYS}. */
    static long period(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 86_400L * PERIOD_DAYS);
    }

    /** The first instant of a period of {@code read_duration_period}. */
    static Instant periodStart(long period) {
        return Instant.ofEpochSecond(period * 86_400L * PERIOD_DAYS);
    }

    /** A funnel-stage visit that ended, and how long it lasted. */
    record CompletedVisit(Stage stage, long durationMicros) {
    }

    /** The contact's completed funnel-stage visits. */
    private List<CompletedVisit> completedVisits(UUID contactId) {
        return jdbc.query("SELECT stage, duration_micros FROM read_stage_visit WHERE contact_id = ?"
                + " AND duration_micros IS NOT NULL", (rs, n) -> new CompletedVisit(Stage.valueOf(rs.getString(1)),
                rs.getLong(2)), contactId).stream().filter(visit -> visit.stage().isFunnelStage()).toList();
    }

    /**
     * Adds {@code sign} times each visit to its fine and coarse duration bucket under the keys of each of
     * {@link #DURATION_SUBSETS} that contains {@code including}.
     */
    private static void addCompletedVisits(AggregateChanges changes, String source, String campaign, String owner,
                                           int including, List<CompletedVisit> visits, int sign) {
        for (Object[] key : subsetKeys(DURATION_SUBSETS, source, campaign, owner, including)) {
            for (CompletedVisit visit : visits) {
                int fine = DurationBuckets.of(visit.durationMicros());
                BigDecimal duration = BigDecimal.valueOf(sign * visit.durationMicros());
                for (List<Object> bucket : List.of(List.<Object>of(visit.stage().name(), DurationBuckets.FINE, fine),
                        List.<Object>of(visit.stage().name(), DurationBuckets.COARSE, DurationBuckets.coarse(fine)))) {
                    List<Object> row = new ArrayList<>(List.of(key));
                    row.addAll(bucket);
                    changes.addVisits(AggregateChanges.DURATION_BUCKETS, row, sign, duration);
                }
            }
        }
    }

    /** Every subset but the finest, each after a finer one that {@link #finerOf} names. */
    private static final List<Integer> COARSER_SUBSETS = List.of(SOURCE | CAMPAIGN, SOURCE | OWNER, CAMPAIGN | OWNER,
            SOURCE, CAMPAIGN, OWNER, 0);

    /** The smallest finer subset that a rebuild adds {@code subset} up from. */
    private static int finerOf(int subset) {
        return subset == 0 ? SOURCE : Integer.bitCount(subset) == 2 ? FINEST
                : subset == SOURCE ? SOURCE | CAMPAIGN : subset == CAMPAIGN ? CAMPAIGN | OWNER : SOURCE | OWNER;
    }

    /** The ranges of contact ids whose change rows one statement of a rebuild on H2 adds up. */
    private static final int CONTACT_RANGES = 64;

    /** The days of capture (or change) that one statement of a rebuild adds up. */
    private static final int WINDOW_DAYS = 8;

    /** Half-open windows of {@link #WINDOW_DAYS} UTC days, as timestamps, over the range that {@code minMax} selects. */
    private List<Object[]> windows(String minMax) {
        List<Object[]> windows = new ArrayList<>();
        jdbc.query(minMax, rs -> {
            Instant first = Timestamps.fromDb(rs, 1);
            Instant last = Timestamps.fromDb(rs, 2);
            if (first != null) {
                for (long day = day(first); day <= day(last); day += WINDOW_DAYS) {
                    windows.add(new Object[] {toDb(Instant.ofEpochSecond(day * 86_400L)),
                            toDb(Instant.ofEpochSecond((day + WINDOW_DAYS) * 86_400L))});
                }
            }
        });
        return windows;
    }

    /**
     * The rows of every coarser subset of a span, from finer ones. The pairs that keep a campaign or an owner
     * are added up one campaign or owner at a time (through the index that starts with it): per day, all
     * campaigns with all owners would be too many groups for H2 at once.
     */
    private void addUpCoarserSubsets(String span) {
        for (int subset : COARSER_SUBSETS) {
            String by = Integer.bitCount(subset) < 2 ? null : (subset & OWNER) != 0 ? "owner_key" : "campaign_key";
            if (by == null) {
                update(RebuildSql.coarserCounts(span, subset, finerOf(subset), null), span);
            } else {
                for (String value : jdbc.queryForList("SELECT DISTINCT " + by + " FROM read_cohort_count WHERE span = ?"
                        + " AND " + by + " <> ?", String.class, span, ANY)) {
                    update(RebuildSql.coarserCounts(span, subset, finerOf(subset), by), span, value);
                }
            }
        }
    }

    /** PostgreSQL spills a large GROUP BY to disk; H2 does not. */
    private boolean addsUpOnDisk() {
        return DatabaseProduct.isPostgres(jdbc);
    }

    /** Whether the aggregates were built for these rows: by the projection from the start, or by a rebuild. */
    boolean built() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM read_report_watermark", Integer.class) > 0;
    }

    /**
     * {@link #rebuildFromRows()} unless {@link #built()}: for rows that were there before the aggregates. When
     * they were built before {@code read_duration_captured} (V8) or {@code read_cohort_month_change} (V10) was,
     * that table alone is filled.
     */
    public void rebuildUnlessBuilt() {
        if (!built()) {
            rebuildFromRows();
            return;
        }
        if (capturedDurationsMissing()) {
            addUpCapturedDurations(windows("SELECT MIN(captured_at), MAX(captured_at) FROM read_contact"));
        }
        if (jdbc.queryForList("SELECT 1 FROM read_cohort_month_change FETCH FIRST 1 ROWS ONLY").isEmpty()) {
            addUpMonthChanges();
        }
    }

    /** Fills read_cohort_month_change from the rows: on H2 a range of contact ids at a time, as span C. */
    private void addUpMonthChanges() {
        if (addsUpOnDisk()) {
            update(RebuildSql.monthChanges());
            update(RebuildSql.dropEmptyMonthChanges());
        } else {
            try (KeyOrderedRows rows = KeyOrderedRows.monthChanges(sortBufferRows)) {
                addRowsPerContactRange(rows, RebuildSql.monthChangesInRange(), KeyOrderedRows.Fan.AS_IS);
                rows.insertInto(jdbc, eachStatement);
            }
        }
    }

    /**
     * Adds what {@code fan} makes of the rows of {@code sql} once per range of contact ids, {@link #CONTACT_RANGES}
     * in all, with the first and last id of the range three times as its parameters.
     */
    private void addRowsPerContactRange(KeyOrderedRows rows, String sql, KeyOrderedRows.Fan fan) {
        for (int range = 0; range < CONTACT_RANGES; range++) {
            rows.addRowsOf(jdbc, sql, fan, contactRange(range));
        }
    }

    /** The first and last id of a range of contact ids, three times: the ids whose first six bits are its number. */
    private static Object[] contactRange(int range) {
        UUID first = new UUID((long) range << 58, 0L);
        UUID last = new UUID(((long) (range + 1) << 58) - 1, -1L);
        return new Object[] {first, last, first, last, first, last};
    }

    /**
     * A row of read_cohort_count under its finest key (the columns of {@link KeyOrderedRows#cohortCounts}),
     * counted under the key of every subset of (source, campaign, owner) as the projection counts it; a row of
     * the contacts captured on a day under {@link #EVER} too. {@code rows} is given one array, changed between its
     * calls: it copies what it keeps ({@link KeyOrderedRows#add}), and a contact's pieces allocate no row per key.
     */
    static void underEveryKey(Object[] finest, java.util.function.Consumer<Object[]> rows) {
        boolean captured = DAY.equals(finest[0]);
        Object[] row = finest.clone();
        for (int subset : ALL_SUBSETS) {
            row[0] = finest[0];
            row[1] = finest[1];
            row[2] = (subset & SOURCE) != 0 ? finest[2] : ANY;
            row[3] = (subset & CAMPAIGN) != 0 ? finest[3] : ANY;
            row[4] = (subset & OWNER) != 0 ? finest[4] : ANY;
            rows.accept(row);
            if (captured) {
                row[0] = EVER;
                row[1] = 0;
                rows.accept(row);
            }
        }
    }

    /** Whether there are completed visits and none is counted per day of capture. */
    private boolean capturedDurationsMissing() {
        return jdbc.queryForList("SELECT 1 FROM read_duration_captured FETCH FIRST 1 ROWS ONLY").isEmpty()
                && !jdbc.queryForList("SELECT 1 FROM read_stage_visit WHERE duration_micros IS NOT NULL"
                + " FETCH FIRST 1 ROWS ONLY").isEmpty();
    }

    private void addUpCapturedDurations(List<Object[]> captureWindows) {
        for (Object[] window : captureWindows) {
            update(RebuildSql.capturedDurations(), window[0], window[1]);
        }
    }

    /**
     * Recomputes every aggregate from read_contact, read_stage_visit and read_opportunity, replacing what was
     * there: for a caller that wrote those rows without the projection (a bulk replay). Runs on the caller's
     * generation, in the caller's transaction, or a statement at a time when built with {@code eachStatement}.
     * PostgreSQL adds the rows up in SQL; on H2 the same queries' rows are added up in the app and inserted in key
     * order ({@link KeyOrderedRows}).
     */
    public void rebuildFromRows() {
        removeAll();
        // H2 adds up a GROUP BY in memory, two kilobytes a group here: a million contacts at once would not fit
        // the standalone app's heap, so the counts are built a few days of capture (or change) at a time
        List<Object[]> captureWindows = windows("SELECT MIN(captured_at), MAX(captured_at) FROM read_contact");
        StepTimes times = new StepTimes();
        if (addsUpOnDisk()) {
            for (Object[] window : captureWindows) {
                update(RebuildSql.finestCounts(), window[0], window[1], window[0], window[1]);
            }
            times.step("counts per day of capture and key");
            addUpCoarserSubsets(DAY);
            update(RebuildSql.everCounts());
            times.step("their coarser keys and all days");
            update(RebuildSql.finestChanges());
            times.step("changes per day and key");
            addUpCoarserSubsets(CHANGED);
            update(RebuildSql.dropEmptyChanges());
            times.step("their coarser keys");
        } else {
            // every row of the table from the finest ones, added up in memory and spilled files, then inserted in key
            // order: random inserts into H2's B-tree cost eight times as much
            try (KeyOrderedRows rows = KeyOrderedRows.cohortCounts(sortBufferRows)) {
                for (Object[] window : captureWindows) {
                    rows.addRowsOf(jdbc, RebuildSql.finestCountsQuery(), ReportAggregates::underEveryKey,
                            window[0], window[1], window[0], window[1]);
                }
                times.step("counts per day of capture and key, all keys");
                addRowsPerContactRange(rows, RebuildSql.finestChangesInRange(), ReportAggregates::underEveryKey);
                times.step("changes per day and key, all keys");
                rows.insertInto(jdbc, eachStatement);
                times.step("both written in key order");
            }
        }
        addUpMonthChanges();
        times.step("changes per month of capture");
        if (addsUpOnDisk()) {
            for (int subset : List.of(SOURCE, CAMPAIGN, OWNER)) {
                update(RebuildSql.fineDurationBuckets(subset));
            }
            update(RebuildSql.coarserDurationBuckets(0, SOURCE));
            update(RebuildSql.coarseDurationBuckets());
            times.step("duration buckets");
            update(RebuildSql.fineEndedPeriods());
            update(RebuildSql.coarseEndedPeriods());
            times.step("durations per period of end");
            addUpCapturedDurations(captureWindows);
            times.step("durations per day of capture");
        } else {
            addUpDurationsInKeyOrder(times);
        }
        log.info("aggregates rebuilt from the rows: {}", times);
        // the latest change of each kind: under the rule that a contact's events never go back in time,
        // these are the latest captures, stage moves, owner changes and closings that the projection saw
        Instant latest = null;
        for (String sql : List.of("SELECT MAX(stage_entered_at) FROM read_contact",
                "SELECT MAX(owner_since) FROM read_contact", "SELECT MAX(closed_at) FROM read_opportunity")) {
            Instant max = jdbc.query(sql, rs -> rs.next() ? Timestamps.fromDb(rs, 1) : null);
            latest = latest == null || (max != null && max.isAfter(latest)) ? max : latest;
        }
        markBuilt(latest);
    }

    /**
     * How full PostgreSQL fills the pages of read_cohort_count that the live projection writes, leaving room for
     * the updates that follow (migration V15).
     */
    static final int UPDATED_COUNTS_FILL_FACTOR = 70;

    /**
     * A rebuild from the contacts a bulk replay folds, instead of from the rows it wrote: each contact's aggregate
     * rows are added up as it is folded ({@link FoldedAggregates}) and inserted at the end, in key order (on
     * PostgreSQL by {@code COPY}). Reading the loaded rows back took half of a replay on H2; PostgreSQL added them up
     * in SQL on one core while the app waited. Commits as {@link #rebuildFromRows()} does.
     */
    public FoldedRebuild rebuildFromFoldedContacts() {
        FoldedAggregates rows = new FoldedAggregates(sortBufferRows);
        return new FoldedRebuild() {
            @Override
            public void folded(FoldedContact contact) {
                rows.add(contact);
            }

            @Override
            public void finish() {
                removeAll();
                StepTimes times = new StepTimes();
                boolean postgres = DatabaseProduct.isPostgres(jdbc);
                if (postgres) {
                    // most of these rows are never updated again: packed, they take fewer pages to write. A load that
                    // fails leaves 100 on a generation that serves nothing; the next replay's load ends with 70
                    update("ALTER TABLE read_cohort_count SET (fillfactor = 100)");
                }
                rows.insertInto(jdbc, eachStatement);
                if (postgres) {
                    update("ALTER TABLE read_cohort_count SET (fillfactor = " + UPDATED_COUNTS_FILL_FACTOR + ")");
                }
                times.step("every table written in key order");
                log.info("aggregates rebuilt from the folded contacts: {}", times);
                markBuilt(rows.latest());
            }

            @Override
            public void close() {
                rows.close();
            }
        };
    }

    /** Empties every aggregate table; the watermark first: aggregates committed a step at a time are not "built" until it is back. */
    private void removeAll() {
        update("DELETE FROM read_report_watermark");
        update("DELETE FROM read_cohort_count");
        update("DELETE FROM read_cohort_month_change");
        update("DELETE FROM read_duration_bucket");
        update("DELETE FROM read_duration_period");
        update("DELETE FROM read_duration_captured");
    }

    /** The aggregates hold every change up to {@code latest} (null: none). Written last. */
    private void markBuilt(Instant latest) {
        update("INSERT INTO read_report_watermark (id, applied_until) VALUES (1, ?)", toDb(latest));
    }

    /**
     * The three tables of completed funnel-stage visits from one reading of the visits, each added up in memory
     * (and spilled files) and inserted in key order: on H2, instead of a statement per table and key subset.
     */
    private void addUpDurationsInKeyOrder(StepTimes times) {
        try (CompletedVisitRows visits = new CompletedVisitRows(sortBufferRows)) {
            jdbc.query(RebuildSql.completedVisits(), rs -> {
                visits.add(new String[] {rs.getString("source_key"), rs.getString("campaign_key"),
                        rs.getString("owner_key")}, rs.getString("stage"), rs.getInt("fine"), rs.getInt("coarse"),
                        rs.getInt("ended_period"), rs.getInt("captured_day"), rs.getBigDecimal("duration_micros"));
            });
            times.step("completed visits read and added up");
            visits.insertInto(jdbc, eachStatement);
            times.step("durations per key, period of end and day of capture written in key order");
        }
    }

    /** How long each step of a rebuild took, for the log: where a slow replay spends its time. */
    private static final class StepTimes {
        private final StringJoiner steps = new StringJoiner(", ");
        private long last = System.nanoTime();

        void step(String name) {
            long now = System.nanoTime();
            steps.add(name + " " + (now - last) / 1_000_000 + " ms");
            last = now;
        }

        @Override
        public String toString() {
            return steps.toString();
        }
    }
}
