package com.salespipeline.query.duration;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.DatabaseProduct;
import com.salespipeline.query.lifecycle.CohortCounts;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Stages;
import com.salespipeline.query.lifecycle.Timestamps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stage durations from the cohort's stage visits. Exact percentiles need every completed duration, so
 * those are streamed (one column per visit, no sort in the database) and summarised by
 * {@link DurationSummary}, except where PostgreSQL summarises them itself (below); the visits open at asOf, one
 * per contact, are aggregated in SQL for their mean age.
 * When the report aggregates answer the question (see {@link ReportPlanner#completedVisits}), the completed
 * visits come from their duration buckets, the percentiles from one bucket's range each, and the open visits
 * from the cohort counts: for one source, campaign or owner, from the buckets of that key; for a range of
 * capture, from the coarse buckets of its days; as of a past time, for all contacts, from the buckets of the
 * periods in which they ended, with the open visits from the counts as they stood when asOf's day began,
 * corrected by the contacts changed on that day. The completed visits of one source and campaign, which the
 * buckets do not count, are read from the visits' index on that pair alone, as of any time, and on PostgreSQL
 * summarised there ({@link RankedDurations}). As of now, those
 * of a cohort narrowed otherwise by two or three of source, campaign and owner, or by one of them and a range of
 * capture, are streamed from its contacts (found by the indexes on those keys) and their visits, not from the
 * visits of every contact; as of an earlier time, so are those of a source and campaign with an owner or a range,
 * the keys that never change. The open visits still come from the cohort counts whenever those answer, which they
 * do for any combination of keys.
 */
@Service
public class StageDurationQueries {

    private static final int FETCH_SIZE = 10_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final ReportPlanner planner;
    private final boolean summarisedInDatabase;

    public StageDurationQueries(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this(jdbc, transactionManager, new ReportPlanner(jdbc, transactionManager));
    }

    @Autowired
    public StageDurationQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                                PlatformTransactionManager transactionManager, ReportPlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
        JdbcTemplate fetching = new JdbcTemplate(jdbc.getJdbcTemplate().getDataSource());
        fetching.setFetchSize(FETCH_SIZE);
        this.streaming = new NamedParameterJdbcTemplate(fetching);
        // PostgreSQL honours the fetch size only inside a transaction (joined when there is one); otherwise it
        // buffers every row
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.summarisedInDatabase = DatabaseProduct.isPostgres(jdbc.getJdbcTemplate());
    }

    /**
     * The report in one snapshot of the read model: a scan reads the completed visits and then the contacts'
     * open ones, and a change committed in between must not show in one and not the other.
     */
    public StageDurationReport stageDurations(ReportFilter filter) {
        return planner.inSnapshot(() -> report(filter));
    }

    private StageDurationReport report(ReportFilter filter) {
        Optional<StageDurationReport> fromAggregates = planner.fromAggregates(filter, true,
                plan -> fromAggregates(filter, plan));
        if (fromAggregates.isPresent()) {
            return fromAggregates.get();
        }
        ReportPlanner.ScannedVisits route = planner.scannedVisits(filter);
        boolean current = route == ReportPlanner.ScannedVisits.OF_CURRENT_CONTACTS;
        Cohort cohort = switch (route) {
            case OF_CURRENT_CONTACTS -> Cohort.currentContacts(filter, true);
            case OF_SOURCE_AND_CAMPAIGN -> Cohort.contactsOfSourceAndCampaign(filter);
            case INDEXED_BY_SOURCE_AND_CAMPAIGN -> Cohort.visitsOfSourceAndCampaign(filter);
            case OF_EVERY_CONTACT -> Cohort.visits(filter);
        };
        MapSqlParameterSource params = new MapSqlParameterSource(cohort.params().getValues())
                .addValue("funnelStages", Stages.FUNNEL.stream().map(Stage::name).toList());
        String visits = " FROM " + cohort.from() + " WHERE " + cohort.where()
                + " AND " + Cohort.notIndexed("v.stage") + " IN (:funnelStages) AND " + Cohort.VISIT_COMPLETED_BY_AS_OF;
        Map<Stage, DurationSummary> completed;
        if (route != ReportPlanner.ScannedVisits.INDEXED_BY_SOURCE_AND_CAMPAIGN) {
            completed = streamed(visits, params);
        } else if (summarisedInDatabase) {
            completed = RankedDurations.summarise(jdbc, visits, params);
        } else {
            completed = streamedPerStage(cohort);
        }
        // the counts hold every key and combination of keys, so they answer the open visits where the
        // duration buckets do not answer the completed ones
        OpenVisits open = planner.fromCounts(filter, this::openVisits).orElseGet(() -> {
            OpenVisits scanned = new OpenVisits();
            scanOpen(current ? Cohort.currentContacts(filter, false) : Cohort.contacts(filter), 1, scanned);
            return scanned;
        });

        long asOfMicros = Timestamps.epochMicros(Timestamps.floorMicros(filter.asOf()));
        List<StageDurationReport.StageDuration> stages = new ArrayList<>();
        for (Stage stage : Stages.FUNNEL) {
            DurationSummary done = completed.getOrDefault(stage, DurationSummary.of(new long[0]));
            stages.add(new StageDurationReport.StageDuration(stage, done.count(), done.avgSeconds(),
                    done.p50Seconds(), done.p90Seconds(), done.maxSeconds(), open.count(stage),
                    open.averageAge(stage, asOfMicros)));
        }
        return new StageDurationReport(filter.asOf(), stages);
    }

    /** Whether the completed visits of one source and campaign are summarised by the database (PostgreSQL). */
    boolean summarisesInDatabase() {
        return summarisedInDatabase;
    }

    /** Every completed visit among {@code visits} streamed to the app, and summarised per stage here. */
    private Map<Stage, DurationSummary> streamed(String visits, MapSqlParameterSource params) {
        Map<Stage, Durations> completed = new EnumMap<>(Stage.class);
        Stages.FUNNEL.forEach(stage -> completed.put(stage, new Durations()));
        readOnly.executeWithoutResult(status -> streaming.query("SELECT v.stage, v.duration_micros" + visits, params,
                rs -> {
                    completed.get(Stage.valueOf(rs.getString(1))).add(rs.getLong(2));
                }));
        Map<Stage, DurationSummary> summaries = new EnumMap<>(Stage.class);
        completed.forEach((stage, durations) -> summaries.put(stage, DurationSummary.of(durations.toArray())));
        return summaries;
    }

    /**
     * The completed visits of a source and campaign, streamed to the app a stage at a time: each statement reads
     * its stage's range of the pair's index, which skips the open visits ({@link Cohort#ofStage}).
     */
    private Map<Stage, DurationSummary> streamedPerStage(Cohort pair) {
        Map<Stage, DurationSummary> summaries = new EnumMap<>(Stage.class);
        readOnly.executeWithoutResult(status -> {
            for (Stage stage : Stages.FUNNEL) {
                Cohort visits = pair.ofStage(stage);
                Durations durations = new Durations();
                streaming.query("SELECT v.duration_micros FROM " + visits.from() + " WHERE " + visits.where() + " AND "
                        + Cohort.VISIT_COMPLETED_BY_AS_OF, visits.params(), rs -> {
                            durations.add(rs.getLong(1));
                        });
                summaries.put(stage, DurationSummary.of(durations.toArray()));
            }
        });
        return summaries;
    }

    /** Adds {@code sign} times the visits open at asOf of the cohort's {@code contacts}, one per contact, to {@code open}. */
    private void scanOpen(Cohort contacts, int sign, OpenVisits open) {
        // the visits open at asOf are the contacts' stages at asOf: one pass over the contact rows
        jdbc.query("SELECT stage_now, COUNT(*) AS n, SUM(CAST(entered AS DECIMAL(38, 0))) AS entered FROM (SELECT "
                        + Cohort.STAGE_AS_OF + " AS stage_now, " + Cohort.STAGE_ENTERED_MICROS_AS_OF + " AS entered"
                        + " FROM " + contacts.from() + " WHERE " + contacts.where() + ") per_contact"
                        + " GROUP BY stage_now", contacts.params(),
                rs -> {
                    Stage stage = Stage.valueOf(rs.getString("stage_now"));
                    if (stage.isFunnelStage()) {
                        open.add(stage, sign, rs.getLong("n"), rs.getBigDecimal("entered"));
                    }
                });
    }

    private StageDurationReport fromAggregates(ReportFilter filter, ReportPlanner.AggregatePlan plan) {
        Map<Stage, ReportPlanner.CompletedVisits> completed = planner.completedVisits(plan);
        OpenVisits open = openVisits(plan);
        long asOfMicros = Timestamps.epochMicros(Timestamps.floorMicros(filter.asOf()));
        List<StageDurationReport.StageDuration> stages = new ArrayList<>();
        for (Stage stage : Stages.FUNNEL) {
            ReportPlanner.CompletedVisits visits = completed.get(stage);
            long count = visits.count();
            DurationSummary done = count == 0 ? DurationSummary.of(new long[0])
                    : DurationSummary.of(count, visits.totalMicros(),
                    visits.durationAtRank(NearestRank.rank(50, count)), visits.durationAtRank(NearestRank.rank(90, count)),
                    visits.durationAtRank(count));
            stages.add(new StageDurationReport.StageDuration(stage, done.count(), done.avgSeconds(),
                    done.p50Seconds(), done.p90Seconds(), done.maxSeconds(), open.count(stage),
                    open.averageAge(stage, asOfMicros)));
        }
        return new StageDurationReport(filter.asOf(), stages);
    }

    /** The visits open at asOf of the plan's cohort: the counts of its whole days, and its partials scanned. */
    private OpenVisits openVisits(ReportPlanner.AggregatePlan plan) {
        CohortCounts counts = planner.total(plan);
        OpenVisits open = new OpenVisits();
        for (Stage stage : Stages.FUNNEL) {
            open.add(stage, 1, counts.current(stage), counts.openMicros(stage));
        }
        plan.partials().forEach(partial -> scanOpen(Cohort.contacts(partial.filter()), partial.sign(), open));
        return open;
    }

    /** Per funnel stage, how many visits are open at asOf and the sum of their starts. */
    private static final class OpenVisits {
        private final Map<Stage, Long> counts = new EnumMap<>(Stage.class);
        private final Map<Stage, BigDecimal> starts = new EnumMap<>(Stage.class);

        void add(Stage stage, int sign, long count, BigDecimal startMicros) {
            counts.merge(stage, sign * count, Long::sum);
            BigDecimal start = startMicros == null ? BigDecimal.ZERO : startMicros;
            starts.merge(stage, sign < 0 ? start.negate() : start, BigDecimal::add);
        }

        long count(Stage stage) {
            return counts.getOrDefault(stage, 0L);
        }

        Double averageAge(Stage stage, long asOfMicros) {
            long count = count(stage);
            return count == 0 ? null : Seconds.averageAge(asOfMicros, count, starts.get(stage));
        }
    }

    /** A growing array of durations, without boxing a million longs. */
    private static final class Durations {
        private long[] values = new long[64];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
