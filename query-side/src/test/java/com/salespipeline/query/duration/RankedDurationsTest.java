package com.salespipeline.query.duration;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.ReportPlanner;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The durations of one source and campaign summarised by PostgreSQL answer what every duration streamed to the app
 * answers, for cohorts whose sizes sit on either side of where a nearest rank steps, with ties among the durations.
 */
class RankedDurationsTest {

    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");
    /** Contacts per campaign: few, and on either side of the tens where ceil(p * n / 100) steps. */
    private static final int[] SIZES = {1, 2, 3, 4, 9, 10, 11, 19, 20, 21};

    @Test
    void summarisedOnPostgresAsStreamed() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        try {
            assertRankedAsStreamed(db);
        } finally {
            db.clear();
        }
    }

    @Test
    void h2StreamsTheDurations() {
        ReadModelDatabase db = new ReadModelDatabase();
        assertThat(new StageDurationQueries(db.named, db.transactions).summarisesInDatabase()).isFalse();
    }

    @Test
    void postgresPicksTheNearestRankOfTheMedianAndThe90thPercentileForEveryCountUpToAMillion() {
        // percentile_disc takes row ceil(f * n), f * n in double precision: the double nearest 0.9 is not 0.9
        for (int percent : new int[] {50, 90}) {
            List<Long> mismatches = Postgres.readModel().jdbc.queryForList("SELECT n FROM generate_series(1, 1000000) n"
                    + " WHERE ceil(CAST(? AS DOUBLE PRECISION) * n) <> (? * CAST(n AS BIGINT) + 99) / 100 LIMIT 5", Long.class,
                    percent / 100.0, percent);
            assertThat(mismatches).as("counts whose %d%% rank differs from NearestRank", percent).isEmpty();
        }
        assertThat(NearestRank.rank(90, 1_000_000)).isEqualTo(900_000);
        // and the aggregate itself, over 1..n for every n up to 1,000
        List<Long> wrong = Postgres.readModel().jdbc.queryForList("SELECT n FROM generate_series(1, 1000) n"
                + " WHERE (SELECT percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY CAST(x AS BIGINT)) FROM generate_series(1, n) x)"
                + " <> ARRAY[(50 * n + 99) / 100, (90 * n + 99) / 100]::bigint[] LIMIT 5", Long.class);
        assertThat(wrong).isEmpty();
    }

    @Test
    void thePairsVisitsAreSummarisedInTheirIndexOrderOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        ReportFilter filter = new ReportFilter(null, null, T0.plus(Duration.ofDays(40)), LeadSource.EVENT, "c1", null);
        String plan = db.jdbc.execute((ConnectionCallback<String>) connection -> {
            try (Statement statement = connection.createStatement()) {
                // on a near-empty table the planner would scan it; the question is whether the index can serve and
                // hand over its rows in the order the grouping needs
                statement.execute("SET enable_seqscan TO off");
                statement.execute("SET enable_bitmapscan TO off");
                try {
                    return explain(new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true)), filter);
                } finally {
                    statement.execute("RESET enable_seqscan");
                    statement.execute("RESET enable_bitmapscan");
                }
            }
        });
        // grouped by stage as the index hands the visits over, so the only sorts are the percentiles' own
        assertThat(plan).contains("GroupAggregate", "Index Only Scan using read_stage_visit_source_campaign")
                .doesNotContain("Sort");
    }

    private static String explain(NamedParameterJdbcTemplate jdbc, ReportFilter filter) {
        return String.join("\n", jdbc.queryForList("EXPLAIN " + RankedDurations.statement(visits(filter)),
                params(filter), String.class));
    }

    /** The completed visits of the filter's pair, as the report names them. */
    private static String visits(ReportFilter filter) {
        Cohort cohort = Cohort.visitsOfSourceAndCampaign(filter);
        return " FROM " + cohort.from() + " WHERE " + cohort.where() + " AND " + Cohort.notIndexed("v.stage")
                + " IN (:funnelStages) AND " + Cohort.VISIT_COMPLETED_BY_AS_OF;
    }

    private static MapSqlParameterSource params(ReportFilter filter) {
        return new MapSqlParameterSource(Cohort.visitsOfSourceAndCampaign(filter).params().getValues())
                .addValue("funnelStages", Stream.of(Stage.values()).filter(Stage::isFunnelStage).map(Stage::name).toList());
    }

    /** What {@link DurationSummary} makes of every duration of the filter's pair, streamed. */
    private static Map<Stage, DurationSummary> streamed(NamedParameterJdbcTemplate jdbc, ReportFilter filter) {
        Map<Stage, List<Long>> durations = new EnumMap<>(Stage.class);
        jdbc.query("SELECT v.stage, v.duration_micros" + visits(filter), params(filter), rs -> {
            durations.computeIfAbsent(Stage.valueOf(rs.getString(1)), stage -> new ArrayList<>()).add(rs.getLong(2));
        });
        Map<Stage, DurationSummary> summaries = new EnumMap<>(Stage.class);
        durations.forEach((stage, values) -> summaries.put(stage,
                DurationSummary.of(values.stream().mapToLong(Long::longValue).toArray())));
        return summaries;
    }

    private static void assertRankedAsStreamed(ReadModelDatabase db) {
        Random random = new Random(11);
        for (int campaign = 0; campaign < SIZES.length; campaign++) {
            for (int i = 0; i < SIZES[campaign]; i++) {
                // durations of whole minutes out of a few dozen, so that many are equal; contacts go some way
                // down the funnel, so that each stage has fewer completed visits than the one before
                Instant at = T0.plus(Duration.ofHours(campaign * 30L + i));
                ContactHistory contact = ContactHistory.capture(at, LeadSource.EVENT, "c" + campaign, null);
                at = at.plus(Duration.ofMinutes(1 + random.nextInt(40)));
                contact.mql(at);
                if (random.nextInt(4) > 0) {
                    at = at.plus(Duration.ofMinutes(1 + random.nextInt(30)));
                    contact.qualify(at);
                    if (random.nextBoolean()) {
                        at = at.plus(Duration.ofMinutes(1 + random.nextInt(20))).plusNanos(1_000 * random.nextInt(3));
                        contact.convert(at);
                    }
                }
                db.applyAll(contact.events());
            }
        }
        // another source with the same campaigns, which the pair must leave out
        db.applyAll(ContactHistory.capture(T0, LeadSource.AD, "c3", null).mql(T0.plusSeconds(1)).events());

        ReportPlanner planner = new ReportPlanner(db.named, db.transactions);
        StageDurationQueries ranked = new StageDurationQueries(db.named, db.transactions, planner);
        assertThat(ranked.summarisesInDatabase()).isTrue();
        StageDurationQueries streamed = new StageDurationQueries(db.named, db.transactions, ReportPlanner.scanning(db.named));
        List<Instant> times = List.of(T0.plus(Duration.ofDays(200)), T0.plus(Duration.ofHours(185)));
        for (int campaign = 0; campaign < SIZES.length; campaign++) {
            for (Instant asOf : times) {
                ReportFilter filter = new ReportFilter(null, null, asOf, LeadSource.EVENT, "c" + campaign, null);
                assertThat(planner.scannedVisits(filter)).isEqualTo(ReportPlanner.ScannedVisits.INDEXED_BY_SOURCE_AND_CAMPAIGN);
                Map<Stage, DurationSummary> summarised = RankedDurations.summarise(db.named, visits(filter), params(filter));
                assertThat(summarised).as("%s", filter).isEqualTo(streamed(db.named, filter));
                StageDurationReport report = ranked.stageDurations(filter);
                assertThat(report).as("%s", filter).isEqualTo(streamed.stageDurations(filter));
            }
            ReportFilter now = new ReportFilter(null, null, T0.plus(Duration.ofDays(200)), LeadSource.EVENT, "c" + campaign, null);
            assertThat(ranked.stageDurations(now).stages().get(0).count()).as("every LEAD visit completed")
                    .isEqualTo(SIZES[campaign]);
        }
    }
}
