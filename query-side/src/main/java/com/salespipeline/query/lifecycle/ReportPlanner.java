package com.salespipeline.query.lifecycle;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides how a report is answered, and reads the aggregates when they answer it. The aggregates of
 * {@link ReportAggregates} hold every change applied so far, so they answer exactly when the report's asOf
 * is at or after the latest of those changes (the watermark): then "as of asOf" is "now", the owner as of
 * asOf is the current owner, and every visit and opportunity that ended has ended by asOf. The cohort's
 * whole UTC days of capture come from the aggregates; the partial days at either end of {@code [from, to)},
 * and every report the aggregates cannot answer, from the scanning SQL of each report. Completed visits are
 * counted for all contacts per day of capture, and per source, campaign or owner for all days of capture, but
 * not per combination of those: stage durations of a cohort narrowed by two of them, or by one of them and
 * {@code from} or {@code to}, read that cohort's contacts as they stand now; as of an earlier time, those of a
 * source and campaign are read through the contacts of that pair ({@link #scannedVisits}).
 *
 * <p>An earlier asOf is answered from the changes made before its UTC day, plus a scan of the contacts changed
 * on that day (see {@link #past}), when the report counts the whole cohort of every day of capture (no
 * {@code from} or {@code to}); grouped by month of capture only for all sources, campaigns and owners; and
 * percentiles of completed visits only for all contacts.
 */
public class ReportPlanner {

    private static final long DAY_SECONDS = 86_400L;
    /**
     * Contacts named in one scan. They are written into its SQL ({@link Cohort#constants}), so each scan's text is
     * new: NamedParameterJdbcTemplate keeps the last 256 statements parsed, and at 500 contacts (20 KB) a full
     * cache holds about 5 MB where 5,000 would hold 50.
     */
    private static final int CHANGED_PER_SCAN = 500;
    /** The share of all contacts below which a range of capture is scanned for its stage durations. */
    private static final double SCANNED_RANGE_SHARE = 0.02;

    /** What a report groups by, as far as the aggregates' keys go. */
    public enum Grouping { SOURCE, CAMPAIGN, OWNER, COHORT_MONTH }

    /** A part of a report answered by scanning, added to the rest ({@code sign} 1) or taken from it (-1). */
    public record Partial(ReportFilter filter, int sign) {
    }

    /**
     * A report answered from the aggregates for the captured days {@code [fromDay, toDay)} (null: unbounded),
     * or, when {@code changedBeforeDay} is set, from the changes made before that day; plus by scanning for each
     * of {@code partials}.
     */
    public record AggregatePlan(ReportFilter filter, Long fromDay, Long toDay, Long changedBeforeDay,
                                List<Partial> partials) {

        boolean hasWholeDays() {
            return fromDay == null || toDay == null || fromDay < toDay;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final int changedPerScan;
    final LongAdder aggregatePlans = new LongAdder();
    final LongAdder scans = new LongAdder();

    /** @param transactions the transactions of the connections {@code jdbc} uses */
    public ReportPlanner(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this(jdbc, transactions, CHANGED_PER_SCAN);
    }

    /** @param changedPerScan how many contacts changed on a past asOf's day one scan names */
    ReportPlanner(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, int changedPerScan) {
        this.jdbc = jdbc;
        this.changedPerScan = changedPerScan;
        if (transactions == null) {
            this.snapshot = null;
        } else {
            this.snapshot = new TransactionTemplate(transactions);
            snapshot.setIsolationLevel(snapshotIsolation(jdbc));
            snapshot.setReadOnly(true);
        }
    }

    /**
     * The isolation level at which one transaction reads one snapshot of every table. PostgreSQL takes it at
     * the first statement under REPEATABLE READ. H2 then takes a snapshot of each table at its first
     * statement on that table, so a commit between the reads of two tables would show in the second only; it
     * snapshots all tables at once under SERIALIZABLE, which for a read-only transaction neither blocks
     * writers nor fails.
     */
    private static int snapshotIsolation(NamedParameterJdbcTemplate jdbc) {
        return DatabaseProduct.isH2(jdbc.getJdbcTemplate()) ? TransactionDefinition.ISOLATION_SERIALIZABLE : TransactionDefinition.ISOLATION_REPEATABLE_READ;
    }

    /** A planner that always scans: the reference the aggregate answers are tested against. */
    public static ReportPlanner scanning(NamedParameterJdbcTemplate jdbc) {
        return new ReportPlanner(jdbc, null);
    }

    /**
     * The report read from the aggregates by {@code report}, or empty when it must scan. The watermark
     * that allows it and everything the report reads come from one snapshot, so a change committed
     * meanwhile (an event a little after asOf, a visit completed) cannot slip in between.
     *
     * @param completedDurations whether the report needs the completed visits' percentiles, which the
     *                           aggregates hold for all contacts per day of capture, and per source, campaign
     *                           or owner for all days of capture, but not per combination of those
     */
    public <T> Optional<T> fromAggregates(ReportFilter filter, boolean completedDurations,
                                          Function<AggregatePlan, T> report) {
        return fromAggregates(filter, completedDurations, false, report);
    }

    /** @param capturedDays whether the report groups by the month of capture */
    public <T> Optional<T> fromAggregates(ReportFilter filter, boolean completedDurations, boolean capturedDays,
                                          Function<AggregatePlan, T> report) {
        if (snapshot == null) {
            scans.increment();
            return Optional.empty();
        }
        return snapshot.execute(status -> plan(filter, completedDurations, capturedDays).map(report));
    }

    /**
     * What the cohort counts answer of a report that scans the rest (the open visits of a cohort whose completed
     * visits the duration buckets do not count), or empty when they do not answer it either. Not a plan of its
     * own: the report was counted as scanned. Call it inside {@link #inSnapshot}.
     */
    public <T> Optional<T> fromCounts(ReportFilter filter, Function<AggregatePlan, T> report) {
        return snapshot == null ? Optional.empty() : choose(filter, false, false).map(report);
    }

    /**
     * {@code read} in one snapshot of the read model, so that what it reads from the aggregates and from the
     * rows agrees (the scanning planner reads without one).
     */
    public <T> T inSnapshot(Supplier<T> read) {
        return snapshot == null ? read.get() : snapshot.execute(status -> read.get());
    }

    /** {@code read} in one snapshot of the read model, as {@link #inSnapshot(Supplier)}. */
    public void inSnapshot(Runnable read) {
        inSnapshot(() -> {
            read.run();
            return null;
        });
    }

    /**
     * How many contacts stand now in {@code stage} (any stage when null), of the source, campaign and owner
     * given (each any when null), from the all-time cohort counts; empty when the aggregates were never built
     * for these rows, or for the scanning planner. The counts hold every change applied, whatever its
     * business time, so "now" needs no watermark. Call it inside {@link #inSnapshot} to match the rows read
     * beside it.
     */
    public OptionalLong contactsNow(Stage stage, LeadSource source, String campaign, String owner) {
        if (snapshot == null || !new ReportAggregates(jdbc.getJdbcTemplate()).built()) {
            return OptionalLong.empty();
        }
        String column = stage == null ? "contacts" : "current_" + stage.name().toLowerCase(Locale.ROOT);
        MapSqlParameterSource params = new MapSqlParameterSource();
        Long count = jdbc.queryForObject("SELECT SUM(" + column + ") FROM read_cohort_count WHERE span = '"
                + ReportAggregates.EVER + "' AND " + keyCondition("source_key", source == null ? null : source.name(),
                false, params) + " AND " + keyCondition("campaign_key", campaign == null ? null
                : ReportAggregates.encode(campaign), false, params) + " AND " + keyCondition("owner_key", owner == null
                ? null : ReportAggregates.encode(owner), false, params), params, Long.class);
        return OptionalLong.of(count == null ? 0 : count);
    }

    Optional<AggregatePlan> plan(ReportFilter filter, boolean completedDurations) {
        return plan(filter, completedDurations, false);
    }

    /**
     * The plan to answer a report from the aggregates, or empty when the report must scan. An asOf at or after
     * the watermark is "now": the counts of every contact and day of capture. An earlier asOf takes the counts
     * of the changes made before its day ({@link #past}): for all days of capture at once, or per month of
     * capture for all contacts.
     */
    Optional<AggregatePlan> plan(ReportFilter filter, boolean completedDurations, boolean capturedDays) {
        Optional<AggregatePlan> plan = choose(filter, completedDurations, capturedDays);
        (plan.isPresent() ? aggregatePlans : scans).increment();
        return plan;
    }

    /** The plan of {@link #plan}, not counted. */
    private Optional<AggregatePlan> choose(ReportFilter filter, boolean completedDurations, boolean capturedDays) {
        Optional<AggregatePlan> plan = Optional.empty();
        Optional<Boolean> asOfNow = asOfNow(filter);
        if (asOfNow.isPresent()) {
            boolean now = asOfNow.get();
            if (now && !(completedDurations && !countsCompletedVisits(filter))) {
                AggregatePlan days = split(filter);
                plan = completedDurations && keys(filter) == 0 && (filter.from() != null || filter.to() != null)
                        && fewCaptured(days) ? Optional.empty() : Optional.of(days);
            } else if (!now && filter.from() == null && filter.to() == null
                    && !((completedDurations || capturedDays) && keys(filter) > 0)) {
                plan = Optional.of(past(filter));
            }
        }
        return plan;
    }

    /**
     * Whether the filter's asOf is at or after every change applied (the watermark); empty when the aggregates were
     * never built for these rows (no watermark row), and for the scanning planner.
     */
    private Optional<Boolean> asOfNow(ReportFilter filter) {
        List<Instant> watermark = snapshot == null ? List.of()
                : jdbc.query("SELECT applied_until FROM read_report_watermark WHERE id = 1", (rs, n) -> Timestamps.fromDb(rs, 1));
        if (watermark.isEmpty()) {
            return Optional.empty();
        }
        // a null time: nothing applied yet
        Instant until = watermark.get(0);
        return Optional.of(until == null || !until.isAfter(Timestamps.floorMicros(filter.asOf())));
    }

    /** Where a scan of a cohort's stage visits finds them. */
    public enum ScannedVisits {
        /** Through the cohort's contacts as they stand now ({@link Cohort#currentContacts}). */
        OF_CURRENT_CONTACTS,
        /** Through the contacts of the cohort's source and campaign, at any asOf ({@link Cohort#contactsOfSourceAndCampaign}). */
        OF_SOURCE_AND_CAMPAIGN,
        /**
         * The visits of the cohort's source and campaign themselves, from their index on the pair, at any asOf
         * ({@link Cohort#visitsOfSourceAndCampaign}).
         */
        INDEXED_BY_SOURCE_AND_CAMPAIGN,
        /** Among the visits of every contact ({@link Cohort#visits}). */
        OF_EVERY_CONTACT
    }

    /**
     * Where the cohort's stage visits, which the aggregates do not count for this filter, are read. A source and
     * campaign alone, at any asOf, find their visits through the index on that pair, which the visits carry and
     * which never changes. As of now, a source, campaign or owner, in pairs or with {@code from}/{@code to}, finds
     * the cohort's contacts as they stand. As of an earlier time a source and campaign with an owner or a range of
     * capture find their contacts through the pair, each looking up its owner at asOf; the contacts' current owner
     * may not be the one at asOf. The visits of every contact are scanned otherwise, and always by the scanning
     * planner, which the answers are tested against. Call it inside {@link #inSnapshot}.
     */
    public ScannedVisits scannedVisits(ReportFilter filter) {
        Optional<Boolean> now = asOfNow(filter);
        if (now.isEmpty()) {
            return ScannedVisits.OF_EVERY_CONTACT;
        }
        boolean pair = filter.source() != null && filter.campaign() != null;
        if (pair && filter.owner() == null && filter.from() == null && filter.to() == null) {
            return ScannedVisits.INDEXED_BY_SOURCE_AND_CAMPAIGN;
        }
        if (now.get() && keys(filter) > 0 && !countsCompletedVisits(filter)) {
            return ScannedVisits.OF_CURRENT_CONTACTS;
        }
        return pair ? ScannedVisits.OF_SOURCE_AND_CAMPAIGN : ScannedVisits.OF_EVERY_CONTACT;
    }

    /**
     * Whether the plan's whole days of capture hold fewer than {@link #SCANNED_RANGE_SHARE} of all contacts. A
     * percentile from the counts per day of capture walks its coarse bucket through the visits of every
     * capture (150 ms at a million contacts on H2, however narrow the range); a scan reads the range's own
     * visits (19 ms for one day, 138 ms for seven).
     */
    private boolean fewCaptured(AggregatePlan days) {
        long all = total(split(ReportFilter.asOf(days.filter().asOf()))).contacts();
        return total(days).contacts() < all * SCANNED_RANGE_SHARE;
    }

    /**
     * A past asOf: the counts as they stood when asOf's UTC day began are the change rows of the days before
     * it; the contacts changed on that day up to asOf are then scanned twice, counted as of asOf and taken
     * away as they stood before the day. Or, when fewer stages were entered on that day after asOf than up to it,
     * from the other end: the change rows up to the day's end, the contacts changed after asOf counted as of
     * asOf and taken away as they stood at the day's end. Those are the day's few, not the third of all contacts
     * that a long way back may have changed since, and at most about half a day's. They are named by id, a few
     * thousand at a time: given the conditions that find them instead, H2 chose to test every contact against them.
     */
    AggregatePlan past(ReportFilter filter) {
        Instant asOf = Timestamps.floorMicros(filter.asOf());
        long day = Math.floorDiv(asOf.getEpochSecond(), DAY_SECONDS);
        // which end is nearer, told by the stages entered (most changes are), counted along their index
        boolean fromDayEnd = stagesEntered(">", asOf, "<", start(day + 1)) < stagesEntered(">=", start(day), "<=", asOf);
        List<UUID> changed = fromDayEnd ? changed(">", asOf, "<", start(day + 1)) : changed(">=", start(day), "<=", asOf);
        long changedBeforeDay = fromDayEnd ? day + 1 : day;
        // the last microsecond before that day: where the change rows of the days before it leave the counts
        Instant asTheRowsStand = start(changedBeforeDay).minusNanos(1_000);
        List<Partial> partials = new ArrayList<>();
        for (int i = 0; i < changed.size(); i += changedPerScan) {
            List<UUID> some = changed.subList(i, Math.min(changed.size(), i + changedPerScan));
            partials.add(new Partial(filter.at(asOf, some), 1));
            partials.add(new Partial(filter.at(asTheRowsStand, some), -1));
        }
        return new AggregatePlan(filter, null, null, changedBeforeDay, partials);
    }

    /** How many stages were entered between two times, each bound taken with its comparison. */
    private long stagesEntered(String afterOrAt, Instant first, String beforeOrAt, Instant last) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM read_stage_visit WHERE entered_at " + afterOrAt + " :first"
                + " AND entered_at " + beforeOrAt + " :last", new MapSqlParameterSource("first", Timestamps.toDb(first))
                .addValue("last", Timestamps.toDb(last)), Long.class);
    }

    /**
     * The contacts with a change between two times, each bound taken with its comparison: a change is a stage
     * entered (a capture enters LEAD), an owner period begun or an opportunity closed.
     */
    private List<UUID> changed(String afterOrAt, Instant first, String beforeOrAt, Instant last) {
        MapSqlParameterSource params = new MapSqlParameterSource("first", Timestamps.toDb(first))
                .addValue("last", Timestamps.toDb(last));
        StringBuilder sql = new StringBuilder();
        for (String[] change : List.of(new String[] {"read_stage_visit", "entered_at"},
                new String[] {"read_owner_period", "valid_from"}, new String[] {"read_opportunity", "closed_at"})) {
            sql.append(sql.isEmpty() ? "" : " UNION ").append("SELECT contact_id FROM ").append(change[0])
                    .append(" WHERE ").append(change[1]).append(' ').append(afterOrAt).append(" :first AND ")
                    .append(change[1]).append(' ').append(beforeOrAt).append(" :last");
        }
        return jdbc.queryForList(sql.toString(), params, UUID.class);
    }

    /**
     * Whether the duration aggregates count the filter's completed visits: those of all contacts captured in
     * any range, or of one source, campaign or owner captured at any time.
     */
    private static boolean countsCompletedVisits(ReportFilter filter) {
        return keys(filter) == 0 || (filter.from() == null && filter.to() == null && keys(filter) == 1);
    }

    /** How many of source, campaign and owner the filter names. */
    private static long keys(ReportFilter filter) {
        return Stream.of(filter.source(), filter.campaign(), filter.owner()).filter(Objects::nonNull).count();
    }

    /** The whole days inside {@code [from, to)} and the parts of days left at either end. */
    static AggregatePlan split(ReportFilter filter) {
        Instant from = filter.from() == null ? null : Timestamps.ceilMicros(filter.from());
        Instant to = filter.to() == null ? null : Timestamps.ceilMicros(filter.to());
        Long fromDay = from == null ? null : Math.floorDiv(from.getEpochSecond() + DAY_SECONDS - 1
                + (from.getNano() > 0 ? 1 : 0), DAY_SECONDS);
        Long toDay = to == null ? null : Math.floorDiv(to.getEpochSecond(), DAY_SECONDS);
        List<Partial> partials = new ArrayList<>();
        if (fromDay != null && toDay != null && fromDay >= toDay) {
            partials.add(new Partial(filter, 1));
            return new AggregatePlan(filter, fromDay, toDay, null, partials);
        }
        if (from != null && start(fromDay).isAfter(from)) {
            partials.add(new Partial(range(filter, from, start(fromDay)), 1));
        }
        if (to != null && start(toDay).isBefore(to)) {
            partials.add(new Partial(range(filter, start(toDay), to), 1));
        }
        return new AggregatePlan(filter, fromDay, toDay, null, partials);
    }

    private static Instant start(long day) {
        return Instant.ofEpochSecond(day * DAY_SECONDS);
    }

    private static ReportFilter range(ReportFilter filter, Instant from, Instant to) {
        return new ReportFilter(from, to, filter.asOf(), filter.source(), filter.campaign(), filter.owner());
    }

    /** The counts of the plan's whole days, all added up. */
    public CohortCounts total(AggregatePlan plan) {
        if (!plan.hasWholeDays()) {
            return new CohortCounts();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.query("SELECT " + sums() + " FROM read_cohort_count WHERE " + where(plan, null, params), params,
                rs -> rs.next() ? CohortCounts.ofSums(rs) : new CohortCounts());
    }

    /** The counts of the plan's whole days per group, for the groups with contacts. */
    public Map<String, CohortCounts> grouped(AggregatePlan plan, Grouping grouping) {
        Map<String, CohortCounts> groups = new HashMap<>();
        if (!plan.hasWholeDays()) {
            return groups;
        }
        if (plan.changedBeforeDay() != null && grouping == Grouping.COHORT_MONTH) {
            jdbc.query("SELECT captured_month, " + sums() + " FROM read_cohort_month_change"
                    + " WHERE changed_day < :changedBeforeDay GROUP BY captured_month HAVING SUM(contacts) > 0",
                    new MapSqlParameterSource("changedBeforeDay", plan.changedBeforeDay()),
                    rs -> {
                        groups.put(rs.getString("captured_month"), CohortCounts.ofSums(rs));
                    });
            return groups;
        }
        String column = switch (grouping) {
            case SOURCE -> "source_key";
            case CAMPAIGN -> "campaign_key";
            case OWNER -> "owner_key";
            case COHORT_MONTH -> "captured_day";
        };
        MapSqlParameterSource params = new MapSqlParameterSource();
        jdbc.query("SELECT " + column + " AS grp, " + sums() + " FROM read_cohort_count WHERE "
                + where(plan, grouping, params) + " GROUP BY " + column + " HAVING SUM(contacts) > 0", params, rs -> {
                    String name = switch (grouping) {
                        case SOURCE -> rs.getString("grp");
                        case CAMPAIGN, OWNER -> ReportAggregates.decode(rs.getString("grp"));
                        case COHORT_MONTH -> Timestamps.MONTH.format(start(rs.getLong("grp")));
                    };
                    groups.computeIfAbsent(name, n -> new CohortCounts()).add(CohortCounts.ofSums(rs), 1);
                });
        return groups;
    }

    private static String sums() {
        return CohortCounts.COLUMNS.stream().map(c -> "SUM(" + c + ") AS sum_" + c).collect(Collectors.joining(", "));
    }

    /** One key prefix: each of source, campaign and owner filtered, grouped by, or any. */
    private static String where(AggregatePlan plan, Grouping grouping, MapSqlParameterSource params) {
        ReportFilter filter = plan.filter();
        List<String> conditions = new ArrayList<>();
        // the contacts of every day at once, unless days are asked for; or the changes before a past asOf's day
        boolean days = plan.fromDay() != null || plan.toDay() != null || grouping == Grouping.COHORT_MONTH;
        conditions.add("span = '" + (plan.changedBeforeDay() != null ? ReportAggregates.CHANGED
                : days ? ReportAggregates.DAY : ReportAggregates.EVER) + "'");
        if (plan.changedBeforeDay() != null) {
            conditions.add("captured_day < :changedBeforeDay");
            params.addValue("changedBeforeDay", plan.changedBeforeDay());
        }
        conditions.add(keyCondition("source_key", filter.source() == null ? null : filter.source().name(),
                grouping == Grouping.SOURCE, params));
        conditions.add(keyCondition("campaign_key", filter.campaign() == null ? null
                : ReportAggregates.encode(filter.campaign()), grouping == Grouping.CAMPAIGN, params));
        conditions.add(keyCondition("owner_key", filter.owner() == null ? null
                : ReportAggregates.encode(filter.owner()), grouping == Grouping.OWNER, params));
        conditions.addAll(capturedDays(plan, params));
        return String.join(" AND ", conditions);
    }

    /** The conditions on captured_day of the plan's whole days of capture. */
    private static List<String> capturedDays(AggregatePlan plan, MapSqlParameterSource params) {
        List<String> conditions = new ArrayList<>();
        if (plan.fromDay() != null) {
            conditions.add("captured_day >= :fromDay");
            params.addValue("fromDay", plan.fromDay());
        }
        if (plan.toDay() != null) {
            conditions.add("captured_day < :toDay");
            params.addValue("toDay", plan.toDay());
        }
        return conditions;
    }

    private static String keyCondition(String column, String filtered, boolean grouped, MapSqlParameterSource params) {
        if (filtered != null) {
            params.addValue(column, filtered);
            return column + " = :" + column;
        }
        return column + (grouped ? " <> '" : " = '") + ReportAggregates.ANY + "'";
    }

    /**
     * Per funnel stage, the completed visits of the plan's cohort: as of a past time ({@link #completedVisitsAsOf}),
     * of the contacts captured in a range ({@link #completedVisitsCaptured}), or of the filter's key.
     */
    public Map<Stage, CompletedVisits> completedVisits(AggregatePlan plan) {
        if (plan.changedBeforeDay() != null) {
            return completedVisitsAsOf(plan.filter().asOf());
        }
        if (plan.filter().from() != null || plan.filter().to() != null) {
            return completedVisitsCaptured(plan);
        }
        return completedVisits(plan.filter());
    }

    /**
     * Per funnel stage, the completed visits of the contacts of the filter's source, campaign and owner, from
     * the duration buckets of that key.
     */
    Map<Stage, CompletedVisits> completedVisits(ReportFilter filter) {
        Map<Stage, CompletedVisits> visits = new EnumMap<>(Stage.class);
        Stages.FUNNEL.forEach(stage -> visits.put(stage, new CompletedVisits(stage, filter, null, null)));
        MapSqlParameterSource params = new MapSqlParameterSource();
        jdbc.query("SELECT stage, bucket, visits, total_micros FROM read_duration_bucket WHERE " + bucketKey(filter, params)
                + " AND digits = " + DurationBuckets.COARSE + " ORDER BY stage, bucket", params, rs -> {
                    visits.get(Stage.valueOf(rs.getString("stage"))).add(rs.getInt("bucket"), rs.getLong("visits"),
                            rs.getBigDecimal("total_micros"));
                });
        return visits;
    }

    /**
     * Per funnel stage, the completed visits of all contacts captured in the plan's {@code [from, to)}: those of
     * its whole days of capture from {@code read_duration_captured}, those of the part-days at either end from
     * the visit rows. Only coarse buckets are kept per day, so a rank is found in its coarse bucket's range.
     */
    Map<Stage, CompletedVisits> completedVisitsCaptured(AggregatePlan plan) {
        Map<Stage, TreeMap<Integer, Object[]>> coarse = bucketsPerStage();
        RowCallbackHandler add = rs -> {
            Stage stage = Stage.valueOf(rs.getString("stage"));
            if (stage.isFunnelStage()) {
                addTo(coarse.get(stage), rs.getInt("bucket"), rs.getLong("visits"), rs.getBigDecimal("total_micros"));
            }
        };
        if (plan.hasWholeDays()) {
            MapSqlParameterSource params = new MapSqlParameterSource();
            List<String> days = new ArrayList<>(List.of("1 = 1"));
            days.addAll(capturedDays(plan, params));
            jdbc.query("SELECT stage, bucket, SUM(visits) AS visits, SUM(total_micros) AS total_micros"
                    + " FROM read_duration_captured WHERE " + String.join(" AND ", days) + " GROUP BY stage, bucket",
                    params, add);
        }
        for (Partial partial : plan.partials()) {
            if (partial.sign() != 1) {
                throw new IllegalArgumentException("the part-days of a range of capture are added, not taken away");
            }
            Cohort cohort = Cohort.visits(partial.filter());
            jdbc.query("SELECT stage, bucket, COUNT(*) AS visits, SUM(CAST(duration_micros AS DECIMAL(38, 0)))"
                    + " AS total_micros FROM (SELECT v.stage AS stage, " + DurationBuckets.coarseSql(DurationBuckets.sql(
                    "v.duration_micros")) + " AS bucket, v.duration_micros AS duration_micros FROM " + cohort.from()
                    + " WHERE " + cohort.where() + " AND " + Cohort.VISIT_COMPLETED_BY_AS_OF + ") visits"
                    + " GROUP BY stage, bucket", cohort.params(), add);
        }
        Map<Stage, CompletedVisits> visits = new EnumMap<>(Stage.class);
        for (Stage stage : Stages.FUNNEL) {
            CompletedVisits completed = new CompletedVisits(stage, plan.filter(), null, null);
            completed.addAll(coarse.get(stage));
            visits.put(stage, completed);
        }
        return visits;
    }

    /**
     * Per funnel stage, the visits of all contacts completed by a past asOf: those that ended in the periods
     * before asOf's period from {@code read_duration_period}, and those that ended in its period up to asOf
     * from the visit rows. Or, when fewer visits ended in that period after asOf than up to it, from the other
     * end: those of the periods up to and including asOf's, less those that ended after asOf.
     */
    Map<Stage, CompletedVisits> completedVisitsAsOf(Instant asOf) {
        Instant at = Timestamps.floorMicros(asOf);
        long period = ReportAggregates.period(at);
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("periodStart", Timestamps.toDb(ReportAggregates.periodStart(period)))
                .addValue("asOf", Timestamps.toDb(at))
                .addValue("nextPeriodStart", Timestamps.toDb(ReportAggregates.periodStart(period + 1)));
        String upToAsOf = "v.left_at >= :periodStart AND v.left_at <= :asOf";
        String afterAsOf = "v.left_at > :asOf AND v.left_at < :nextPeriodStart";
        boolean fromPeriodEnd = endedVisits(afterAsOf, params) < endedVisits(upToAsOf, params);
        int sign = fromPeriodEnd ? -1 : 1;
        long endedBefore = fromPeriodEnd ? period + 1 : period;
        Map<Stage, List<Long>> recent = new EnumMap<>(Stage.class);
        Stages.FUNNEL.forEach(stage -> recent.put(stage, new ArrayList<>()));
        // the funnel stages are picked here: given them as a condition, H2 walks every visit of those stages
        jdbc.query("SELECT v.stage, v.duration_micros FROM read_stage_visit v WHERE "
                + (fromPeriodEnd ? afterAsOf : upToAsOf), params, rs -> {
                    List<Long> durations = recent.get(Stage.valueOf(rs.getString(1)));
                    if (durations != null) {
                        durations.add(rs.getLong(2));
                    }
                });
        Map<Stage, TreeMap<Integer, Object[]>> coarse = bucketsPerStage();
        for (Stage stage : Stages.FUNNEL) {
            // one stage at a time: a prefix of the primary key, where all stages at once made H2 read the whole
            // table, fine buckets included (170,000 rows at a million contacts against 26,000)
            jdbc.query("SELECT bucket, SUM(visits) AS visits, SUM(total_micros) AS total_micros FROM read_duration_period"
                    + " WHERE stage = :stage AND digits = " + DurationBuckets.COARSE + " AND ended_period < :period"
                    + " GROUP BY bucket", new MapSqlParameterSource("stage", stage.name())
                    .addValue("period", endedBefore), rs -> {
                        addTo(coarse.get(stage), rs.getInt("bucket"), rs.getLong("visits"),
                                rs.getBigDecimal("total_micros"));
                    });
        }
        recent.forEach((stage, durations) -> durations.forEach(duration -> addTo(coarse.get(stage),
                DurationBuckets.coarse(DurationBuckets.of(duration)), sign, BigDecimal.valueOf(sign * duration))));
        Map<Stage, CompletedVisits> visits = new EnumMap<>(Stage.class);
        for (Stage stage : Stages.FUNNEL) {
            CompletedVisits completed = new CompletedVisits(stage, ReportFilter.asOf(at), endedBefore,
                    recent.get(stage).stream().mapToLong(Long::longValue).toArray(), sign);
            completed.addAll(coarse.get(stage));
            visits.put(stage, completed);
        }
        return visits;
    }

    /** The visits of any stage that ended within {@code range}, counted along the index on when they ended. */
    private long endedVisits(String range, MapSqlParameterSource params) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM read_stage_visit v WHERE " + range, params, Long.class);
    }

    /** Per funnel stage, coarse buckets to add visits to with {@link #addTo}: visits and total micros by bucket. */
    private static Map<Stage, TreeMap<Integer, Object[]>> bucketsPerStage() {
        Map<Stage, TreeMap<Integer, Object[]>> buckets = new EnumMap<>(Stage.class);
        Stages.FUNNEL.forEach(stage -> buckets.put(stage, new TreeMap<>()));
        return buckets;
    }

    private static void addTo(Map<Integer, Object[]> buckets, int bucket, long visits, BigDecimal totalMicros) {
        Object[] sums = buckets.computeIfAbsent(bucket, b -> new Object[] {0L, BigDecimal.ZERO});
        sums[0] = (Long) sums[0] + visits;
        sums[1] = ((BigDecimal) sums[1]).add(totalMicros);
    }

    /** The key of the duration buckets that count the filter's visits. */
    private static String bucketKey(ReportFilter filter, MapSqlParameterSource params) {
        return keyCondition("source_key", filter.source() == null ? null : filter.source().name(), false, params)
                + " AND " + keyCondition("campaign_key", filter.campaign() == null ? null
                : ReportAggregates.encode(filter.campaign()), false, params)
                + " AND " + keyCondition("owner_key", filter.owner() == null ? null
                : ReportAggregates.encode(filter.owner()), false, params);
    }

    /**
     * The filter's completed visits {@code v} of one stage in a range of durations, as conditions on
     * read_stage_visit and, for the current owner, read_contact {@code c}.
     */
    private static String visitsOfKey(ReportFilter filter, MapSqlParameterSource params) {
        StringBuilder sql = new StringBuilder("FROM read_stage_visit v");
        if (filter.owner() != null) {
            sql.append(" JOIN read_contact c ON c.contact_id = v.contact_id AND c.owner = :owner");
            params.addValue("owner", filter.owner());
        }
        sql.append(" WHERE v.stage = :stage AND v.duration_micros BETWEEN :lowest AND :highest");
        // not conditions on captured_at itself: given one, the databases read the cohort's visits through the
        // index on captured_at and sort them all, where the walk along (stage, duration_micros) reads one bucket
        if (filter.from() != null) {
            sql.append(" AND ").append(Cohort.notIndexed("v.captured_at")).append(" >= :from");
            params.addValue("from", Timestamps.toDb(Timestamps.ceilMicros(filter.from())));
        }
        if (filter.to() != null) {
            sql.append(" AND ").append(Cohort.notIndexed("v.captured_at")).append(" < :to");
            params.addValue("to", Timestamps.toDb(Timestamps.ceilMicros(filter.to())));
        }
        if (filter.source() != null) {
            sql.append(" AND v.source = :source");
            params.addValue("source", filter.source().name());
        }
        if (filter.campaign() != null) {
            sql.append(" AND v.campaign = :campaign");
            params.addValue("campaign", filter.campaign());
        }
        return sql.toString();
    }

    /**
     * The completed visits of one stage: how many, how long in all, and the duration at any rank. Those of the
     * filter's key now; those of all contacts captured in the filter's {@code [from, to)} now, counted in coarse
     * buckets only; or with {@code endedBefore} those of all contacts that ended by the filter's asOf: in the
     * periods before {@code endedBefore}, and {@code recent} added after them or, with a sign of -1, taken away.
     */
    public final class CompletedVisits {
        private final Stage stage;
        private final ReportFilter filter;
        private final Long endedBefore;
        private final long[] recent;
        private final int recentSign;
        private final List<Integer> buckets = new ArrayList<>();
        private final List<Long> counts = new ArrayList<>();
        private long count;
        private BigDecimal totalMicros = BigDecimal.ZERO;

        private CompletedVisits(Stage stage, ReportFilter filter, Long endedBefore, long[] recent) {
            this(stage, filter, endedBefore, recent, 1);
        }

        private CompletedVisits(Stage stage, ReportFilter filter, Long endedBefore, long[] recent, int recentSign) {
            this.stage = stage;
            this.filter = filter;
            this.endedBefore = endedBefore;
            this.recent = recent;
            this.recentSign = recentSign;
        }

        private void add(int bucket, long visits, BigDecimal total) {
            buckets.add(bucket);
            counts.add(visits);
            count += visits;
            totalMicros = totalMicros.add(total);
        }

        /** The buckets of {@link #bucketsPerStage}, in ascending order. */
        private void addAll(TreeMap<Integer, Object[]> sums) {
            sums.forEach((bucket, sum) -> add(bucket, (Long) sum[0], (BigDecimal) sum[1]));
        }

        public long count() {
            return count;
        }

        public BigDecimal totalMicros() {
            return totalMicros;
        }

        /**
         * The duration in microseconds at the 1-based rank in ascending order: the coarse bucket that holds
         * the rank, then its fine bucket (when the counts have them), then the value inside that bucket's range
         * of the (stage, duration_micros) index, walked from the nearer end.
         */
        public long durationAtRank(long rank) {
            if (rank < 1 || rank > count) {
                throw new IllegalArgumentException("rank " + rank + " of " + count + " visits");
            }
            long before = 0;
            int i = 0;
            while (before + counts.get(i) < rank) {
                before += counts.get(i++);
            }
            int[] fine = DurationBuckets.fineOf(buckets.get(i));
            long inBucket = counts.get(i);
            if (filter.from() == null && filter.to() == null) {
                List<long[]> fineCounts = fineCounts(fine);
                int j = 0;
                while (j + 1 < fineCounts.size() && before + fineCounts.get(j)[1] < rank) {
                    before += fineCounts.get(j++)[1];
                }
                fine = new int[] {(int) fineCounts.get(j)[0], (int) fineCounts.get(j)[0]};
                inBucket = fineCounts.get(j)[1];
            }
            int bucket = fine[0];
            long offset = rank - before - 1;
            long fromTop = inBucket - offset - 1;
            boolean descending = fromTop < offset;
            MapSqlParameterSource params = new MapSqlParameterSource().addValue("stage", stage.name())
                    .addValue("lowest", DurationBuckets.lowest(fine[0]))
                    .addValue("highest", DurationBuckets.highest(fine[1]))
                    .addValue("offset", descending ? fromTop : offset);
            String ended = "";
            if (endedBefore != null) {
                // not a condition on left_at itself: the walk must go along (stage, duration_micros), and given
                // one, H2 reads every visit that ended before asOf through the index on left_at instead
                ended = " AND " + Cohort.notIndexed("v.left_at") + " <= :asOf";
                params.addValue("asOf", Timestamps.toDb(filter.asOf()));
            }
            List<Long> value = jdbc.queryForList("SELECT v.duration_micros " + visitsOfKey(filter, params) + ended
                    + " ORDER BY v.duration_micros" + (descending ? " DESC" : "")
                    + " OFFSET :offset ROWS FETCH NEXT 1 ROWS ONLY", params, Long.class);
            if (value.isEmpty() || fromTop < 0) {
                throw new IllegalStateException("duration bucket " + bucket + " of " + stage
                        + " counts other visits than read_stage_visit holds");
            }
            return value.get(0);
        }

        /** The visits per fine bucket from {@code fine[0]} to {@code fine[1]}, in the order of the buckets. */
        private List<long[]> fineCounts(int[] fine) {
            MapSqlParameterSource params = new MapSqlParameterSource().addValue("stage", stage.name())
                    .addValue("first", fine[0]).addValue("last", fine[1]);
            if (endedBefore == null) {
                return jdbc.query("SELECT bucket, visits FROM read_duration_bucket WHERE " + bucketKey(filter, params)
                        + " AND stage = :stage AND digits = " + DurationBuckets.FINE
                        + " AND bucket BETWEEN :first AND :last ORDER BY bucket", params,
                        (rs, n) -> new long[] {rs.getInt("bucket"), rs.getLong("visits")});
            }
            TreeMap<Integer, Long> counts = new TreeMap<>();
            jdbc.query("SELECT bucket, SUM(visits) AS visits FROM read_duration_period WHERE stage = :stage AND digits = "
                    + DurationBuckets.FINE + " AND bucket BETWEEN :first AND :last AND ended_period < :period"
                    + " GROUP BY bucket", params.addValue("period", endedBefore),
                    rs -> {
                        counts.merge(rs.getInt("bucket"), rs.getLong("visits"), Long::sum);
                    });
            for (long duration : recent) {
                int bucket = DurationBuckets.of(duration);
                if (bucket >= fine[0] && bucket <= fine[1]) {
                    counts.merge(bucket, (long) recentSign, Long::sum);
                }
            }
            return counts.entrySet().stream().map(e -> new long[] {e.getKey(), e.getValue()}).toList();
        }
    }
}
