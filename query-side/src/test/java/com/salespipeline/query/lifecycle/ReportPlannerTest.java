package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.conversion.ConversionQueries;
import com.salespipeline.query.conversion.GroupBy;
import com.salespipeline.query.duration.StageDurationQueries;
import com.salespipeline.query.duration.StageDurationReport;
import com.salespipeline.query.funnel.FunnelMode;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.funnel.FunnelReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which way each report is answered: from the aggregates when they hold the answer, by scanning otherwise. */
class ReportPlannerTest {

    private final ReadModelDatabase db = new ReadModelDatabase();
    private final SamplePipeline sample = new SamplePipeline();
    private final ReportPlanner planner = new ReportPlanner(db.named, db.transactions);
    /** After the sample's last event (FEB + 5 h). */
    private final Instant now = SamplePipeline.LATER;

    @Test
    void reportsAsOfNowAreAnsweredFromTheAggregates() {
        sample.feed(db);

        FunnelReport funnel = new FunnelQueries(db.named, planner).funnel(ReportFilter.asOf(now), FunnelMode.CUMULATIVE);
        new ConversionQueries(db.named, planner).conversionRates(new ReportFilter(SamplePipeline.T0.plusSeconds(1),
                null, now, null, "spring", null), GroupBy.OWNER);
        new StageDurationQueries(db.named, db.transactions, planner).stageDurations(ReportFilter.asOf(now));

        assertThat(planner.aggregatePlans.sum()).isEqualTo(3);
        assertThat(planner.scans.sum()).isZero();
        assertThat(funnel.stages()).extracting(FunnelReport.StageCount::reached).containsExactly(4L, 3L, 2L, 2L, 1L, 1L);
    }

    @Test
    void aReportReadsEveryTableInTheSnapshotOfItsFirstStatement() {
        sample.feed(db);
        long periods = db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_period", Long.class);
        assertThat(periods).isPositive();

        long seen = planner.inSnapshot(() -> {
            db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class);
            // another connection commits a change to a table this transaction has not read yet
            try (java.sql.Connection other = db.dataSource.getConnection()) {
                other.createStatement().executeUpdate("DELETE FROM read_duration_period");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_period", Long.class);
        });

        assertThat(seen).isEqualTo(periods);
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_period", Long.class)).isZero();
    }

    @Test
    void aPastAsOfTakesTheChangesBeforeItsDayAndScansTheContactsChangedOnItTwice() {
        sample.feed(db);
        Instant lastEvent = SamplePipeline.FEB.plus(Duration.ofHours(5));

        ReportPlanner.AggregatePlan current = planner.plan(ReportFilter.asOf(lastEvent), false).orElseThrow();
        assertThat(current.changedBeforeDay()).isNull();
        assertThat(current.partials()).isEmpty();
        // on 1 February only C changed: captured at 00:00, MQL at 01:00, disqualified at 02:00, recycled at 05:00
        Instant dayStart = SamplePipeline.FEB;
        Instant early = dayStart.plus(Duration.ofMinutes(30));
        ReportPlanner.AggregatePlan fromStart = planner.plan(new ReportFilter(null, null, early, null, "spring", "sam"),
                false).orElseThrow();
        assertThat(fromStart.changedBeforeDay()).isEqualTo(ReportAggregates.day(early));
        List<java.util.UUID> changed = fromStart.partials().get(0).filter().only();
        assertThat(changed).containsExactly(sample.c.contactId());
        assertThat(fromStart.partials()).containsExactly(
                new ReportPlanner.Partial(new ReportFilter(null, null, early, null, "spring", "sam", changed), 1),
                new ReportPlanner.Partial(new ReportFilter(null, null, dayStart.minusNanos(1_000), null, "spring", "sam",
                        changed), -1));
        // just before the recycling, one stage entered after asOf against three up to it: from the day's end
        Instant past = lastEvent.minusNanos(1_000);
        ReportPlanner.AggregatePlan fromEnd = planner.plan(new ReportFilter(null, null, past, null, "spring", "sam"),
                false).orElseThrow();
        assertThat(fromEnd.changedBeforeDay()).isEqualTo(ReportAggregates.day(past) + 1);
        assertThat(fromEnd.partials()).containsExactly(
                new ReportPlanner.Partial(new ReportFilter(null, null, past, null, "spring", "sam", changed), 1),
                new ReportPlanner.Partial(new ReportFilter(null, null, dayStart.plus(Duration.ofDays(1)).minusNanos(1_000),
                        null, "spring", "sam", changed), -1));
        // percentiles of all contacts come from the periods in which the visits ended
        assertThat(planner.plan(ReportFilter.asOf(past), true)).isPresent();
        // percentiles of one source, campaign or owner, months of capture of one, and a range of capture scan
        assertThat(planner.plan(new ReportFilter(null, null, past, LeadSource.AD, null, null), true)).isEmpty();
        assertThat(planner.plan(new ReportFilter(null, null, past, null, null, "sam"), false, true)).isEmpty();
        assertThat(planner.plan(ReportFilter.asOf(past), false, true)).isPresent();
        assertThat(planner.plan(new ReportFilter(SamplePipeline.T0, null, past, null, null, null), false)).isEmpty();
        assertThat(planner.scans.sum()).isEqualTo(3);
    }

    private static final Instant CHANGE_DAY = Instant.parse("2024-02-10T00:00:00Z");

    /**
     * Twenty contacts changed on {@link #CHANGE_DAY} between 00:00 and 09:30 (MQL, seven of them qualified ten
     * minutes later, some reassigned twenty minutes later), {@code evening} more turned MQL and qualified from 21:00
     * on, and a capture five days later.
     */
    private void aDayOfChanges(int evening) {
        List<String> owners = java.util.Arrays.asList("sam", "kim", null);
        for (int i = 0; i < 20; i++) {
            ContactHistory history = ContactHistory.capture(CHANGE_DAY.minus(Duration.ofDays(1 + i)), LeadSource.AD,
                    i % 2 == 0 ? "spring" : null, owners.get(i % 3)).mql(CHANGE_DAY.plus(Duration.ofMinutes(30L * i)));
            if (i % 3 == 0) {
                history.qualify(CHANGE_DAY.plus(Duration.ofMinutes(30L * i + 10)));
            }
            if (i % 4 == 0) {
                history.assign("kim", CHANGE_DAY.plus(Duration.ofMinutes(30L * i + 20)));
            }
            db.applyAll(history.events());
        }
        for (int i = 0; i < evening; i++) {
            db.applyAll(ContactHistory.capture(CHANGE_DAY.minus(Duration.ofDays(2)), LeadSource.WEBINAR, null,
                    owners.get(i % 3)).mql(CHANGE_DAY.plus(Duration.ofHours(21)).plus(Duration.ofMinutes(5L * i)))
                    .qualify(CHANGE_DAY.plus(Duration.ofHours(21)).plus(Duration.ofMinutes(5L * i + 1))).events());
        }
        // a later capture: the day is in the past
        db.applyAll(ContactHistory.capture(CHANGE_DAY.plus(Duration.ofDays(5)), LeadSource.REFERRAL, null, null).events());
    }

    /** The planner's answers to every report for {@code filter} equal those of a planner that always scans. */
    private void assertReportsAsScanned(ReportPlanner planner, ReportFilter filter) {
        ReportPlanner scanning = ReportPlanner.scanning(db.named);
        for (FunnelMode mode : FunnelMode.values()) {
            assertThat(new FunnelQueries(db.named, planner).funnel(filter, mode)).as("%s %s", mode, filter)
                    .isEqualTo(new FunnelQueries(db.named, scanning).funnel(filter, mode));
        }
        for (GroupBy groupBy : java.util.Arrays.asList(null, GroupBy.OWNER, GroupBy.COHORT_MONTH)) {
            assertThat(new ConversionQueries(db.named, planner).conversionRates(filter, groupBy))
                    .as("%s %s", groupBy, filter)
                    .isEqualTo(new ConversionQueries(db.named, scanning).conversionRates(filter, groupBy));
        }
        assertThat(new StageDurationQueries(db.named, db.transactions, planner).stageDurations(filter)).as("%s", filter)
                .isEqualTo(new StageDurationQueries(db.named, db.transactions, scanning).stageDurations(filter));
    }

    @Test
    void aPastDayWithMoreChangedContactsThanOneScanNamesIsScannedInParts() {
        aDayOfChanges(20);
        ReportPlanner chunked = new ReportPlanner(db.named, db.transactions, 3);
        ReportFilter all = ReportFilter.asOf(CHANGE_DAY.plus(Duration.ofHours(20)));

        // 20 contacts changed that day up to asOf (27 stages entered) and 20 after it (40): from the day's start,
        // three to a scan, seven scans, each counted and taken away
        ReportPlanner.AggregatePlan plan = chunked.plan(all, false).orElseThrow();
        assertThat(plan.changedBeforeDay()).isEqualTo(ReportAggregates.day(CHANGE_DAY));
        List<ReportPlanner.Partial> partials = plan.partials();
        assertThat(partials).hasSize(14);
        assertThat(partials.stream().flatMap(p -> p.filter().only().stream()).distinct()).hasSize(20);
        assertThat(partials).allSatisfy(p -> assertThat(p.filter().only()).hasSizeBetween(2, 3));
        assertReportsAsScanned(chunked, all);
        assertReportsAsScanned(chunked, new ReportFilter(null, null, all.asOf(), null, "spring", "kim"));
        assertThat(chunked.scans.sum()).as("by month, and stage durations, with a campaign and an owner").isEqualTo(2);
    }

    @Test
    void aPastAsOfWithFewerContactsChangedAfterItThanBeforeScansFromTheDaysEnd() {
        aDayOfChanges(0);
        Instant nineOClock = CHANGE_DAY.plus(Duration.ofHours(9));
        ReportFilter all = ReportFilter.asOf(nineOClock);

        // after 09:00 contact 18 was qualified (09:10) and contact 19 turned MQL (09:30), two stages entered against
        // 25 up to asOf: the change rows up to the day's end, and those two contacts counted as of asOf and taken
        // away as they stood at the day's end
        ReportPlanner.AggregatePlan plan = planner.plan(all, false).orElseThrow();
        assertThat(plan.changedBeforeDay()).isEqualTo(ReportAggregates.day(CHANGE_DAY) + 1);
        assertThat(plan.partials()).hasSize(2);
        assertThat(plan.partials().get(0).filter().only()).hasSize(2);
        assertThat(plan.partials().get(0)).isEqualTo(new ReportPlanner.Partial(all.at(nineOClock,
                plan.partials().get(0).filter().only()), 1));
        assertThat(plan.partials().get(1)).isEqualTo(new ReportPlanner.Partial(all.at(
                CHANGE_DAY.plus(Duration.ofDays(1)).minusNanos(1_000), plan.partials().get(0).filter().only()), -1));
        for (Instant asOf : List.of(nineOClock, nineOClock.plusSeconds(1), CHANGE_DAY.plus(Duration.ofHours(20)),
                CHANGE_DAY.plus(Duration.ofDays(1)).minusNanos(1_000))) {
            assertReportsAsScanned(planner, ReportFilter.asOf(asOf));
            assertReportsAsScanned(planner, new ReportFilter(null, null, asOf, null, "spring", "kim"));
            assertReportsAsScanned(planner, new ReportFilter(null, null, asOf, LeadSource.AD, null, null));
        }
        // after 09:30 nothing changed that day: the change rows alone answer
        assertThat(planner.plan(ReportFilter.asOf(CHANGE_DAY.plus(Duration.ofHours(20))), false).orElseThrow()
                .partials()).isEmpty();
    }

    @Test
    void anEventAfterAsOfMakesItAPastAsOf() {
        sample.feed(db);
        // an event a little in the future of asOf = now, as clock skew allows
        db.applyAll(ContactHistory.capture(now.plusSeconds(3), LeadSource.AD, null, null).events());
        assertThat(planner.plan(ReportFilter.asOf(now), false).orElseThrow().changedBeforeDay()).isNotNull();
        assertThat(planner.plan(ReportFilter.asOf(now), true).orElseThrow().changedBeforeDay()).isNotNull();
    }

    @Test
    void percentilesOfACohortNarrowedByCaptureTimeAndAKeyOrByTwoKeysScanAndOthersDoNot() {
        sample.feed(db);

        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions, planner);
        durations.stageDurations(new ReportFilter(SamplePipeline.T0, null, now, null, "spring", null));
        durations.stageDurations(new ReportFilter(null, SamplePipeline.FEB, now, null, null, "sam"));
        durations.stageDurations(new ReportFilter(null, null, now, LeadSource.AD, null, "sam"));
        assertThat(planner.scans.sum()).isEqualTo(3);
        durations.stageDurations(ReportFilter.asOf(now));
        durations.stageDurations(new ReportFilter(SamplePipeline.T0, null, now, null, null, null));
        durations.stageDurations(new ReportFilter(null, SamplePipeline.FEB, now, null, null, null));
        durations.stageDurations(new ReportFilter(null, null, now, LeadSource.AD, null, null));
        durations.stageDurations(new ReportFilter(null, null, now, null, "spring", null));
        durations.stageDurations(new ReportFilter(null, null, now, null, null, "sam"));
        assertThat(planner.aggregatePlans.sum()).isEqualTo(6);
    }

    @Test
    void stageDurationsOfASourceAndCampaignReadThePairsVisitsOrContactsAndEqualTheScannedOnes() {
        sample.feed(db);
        ReportPlanner scanning = ReportPlanner.scanning(db.named);
        StageDurationQueries planned = new StageDurationQueries(db.named, db.transactions, planner);
        StageDurationQueries scanned = new StageDurationQueries(db.named, db.transactions, scanning);
        for (Instant asOf : List.of(SamplePipeline.T0.plus(Duration.ofHours(15)), SamplePipeline.FEB.plus(Duration.ofHours(3)),
                now)) {
            for (String owner : Arrays.asList(null, "sam")) {
                ReportFilter filter = new ReportFilter(null, null, asOf, LeadSource.WEB_FORM, "spring", owner);
                // the pair alone from the visits' own index; with an owner, through the pair's contacts as of an
                // earlier time and the current ones as of now
                assertThat(planner.scannedVisits(filter)).as("%s", filter).isEqualTo(owner == null
                        ? ReportPlanner.ScannedVisits.INDEXED_BY_SOURCE_AND_CAMPAIGN : asOf.equals(now)
                        ? ReportPlanner.ScannedVisits.OF_CURRENT_CONTACTS : ReportPlanner.ScannedVisits.OF_SOURCE_AND_CAMPAIGN);
                assertThat(scanning.scannedVisits(filter)).isEqualTo(ReportPlanner.ScannedVisits.OF_EVERY_CONTACT);
                StageDurationReport report = planned.stageDurations(filter);
                assertThat(report.stages()).as("%s", filter).anyMatch(stage -> stage.count() > 0);
                assertThat(report).as("%s", filter).isEqualTo(scanned.stageDurations(filter));
            }
        }
        // without both, the indexes on the pair do not find the cohort; nor do they hold a range of capture
        Instant asOf = SamplePipeline.FEB;
        assertThat(planner.scannedVisits(new ReportFilter(null, null, asOf, null, "spring", null)))
                .isEqualTo(ReportPlanner.ScannedVisits.OF_EVERY_CONTACT);
        assertThat(planner.scannedVisits(new ReportFilter(null, null, asOf, LeadSource.AD, null, "sam")))
                .isEqualTo(ReportPlanner.ScannedVisits.OF_EVERY_CONTACT);
        ReportFilter captured = new ReportFilter(SamplePipeline.T0, null, asOf, LeadSource.WEB_FORM, "spring", null);
        assertThat(planner.scannedVisits(captured)).isEqualTo(ReportPlanner.ScannedVisits.OF_SOURCE_AND_CAMPAIGN);
        assertThat(planned.stageDurations(captured)).isEqualTo(scanned.stageDurations(captured));
    }

    @Test
    void aggregatesNeverBuiltAreNotUsed() {
        assertThat(planner.plan(ReportFilter.asOf(now), false)).isEmpty();
        new ReportAggregates(db.jdbc).rebuildFromRows();
        assertThat(planner.plan(ReportFilter.asOf(now), false)).isPresent();
    }

    @Test
    void wholeDaysComeFromTheAggregatesAndTheEndsOfTheRangeAreScanned() {
        Instant from = Instant.parse("2024-01-01T10:00:00.0000005Z");
        Instant to = Instant.parse("2024-01-04T06:00:00Z");
        ReportPlanner.AggregatePlan plan = ReportPlanner.split(new ReportFilter(from, to, now, null, "x", null));

        assertThat(plan.fromDay()).isEqualTo(ReportAggregates.day(Instant.parse("2024-01-02T00:00:00Z")));
        assertThat(plan.toDay()).isEqualTo(ReportAggregates.day(Instant.parse("2024-01-04T00:00:00Z")));
        assertThat(plan.partials()).extracting(p -> p.filter().from(), p -> p.filter().to(), ReportPlanner.Partial::sign).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2024-01-01T10:00:00.000001Z"),
                        Instant.parse("2024-01-02T00:00:00Z"), 1),
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2024-01-04T00:00:00Z"), to, 1));
        assertThat(plan.partials()).allMatch(p -> "x".equals(p.filter().campaign()) && now.equals(p.filter().asOf()));
    }

    @Test
    void aRangeOnDayBoundariesNeedsNoScanAndOneWithinADayNoAggregates() {
        Instant midnight = Instant.parse("2024-01-02T00:00:00Z");
        ReportPlanner.AggregatePlan days = ReportPlanner.split(new ReportFilter(midnight, midnight.plus(Duration.ofDays(2)),
                now, null, null, null));
        assertThat(days.partials()).isEmpty();
        assertThat(days.toDay() - days.fromDay()).isEqualTo(2);

        ReportFilter hours = new ReportFilter(midnight.plusSeconds(60), midnight.plusSeconds(7200), now, null, null, null);
        ReportPlanner.AggregatePlan within = ReportPlanner.split(hours);
        assertThat(within.hasWholeDays()).isFalse();
        assertThat(within.partials()).containsExactly(new ReportPlanner.Partial(hours, 1));
        assertThat(planner.total(within).contacts()).isZero();
    }

    @Test
    void percentilesFromTheBucketsEqualTheScannedOnesWhereManyVisitsShareABucket() {
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            // a third in one fine bucket, the rest over the ten fine buckets of one coarse bucket and beyond
            long micros = i % 3 == 0 ? 1_000_000_000L + random.nextInt(10_000_000)
                    : 1_000_000_000L + random.nextInt(i % 3 == 1 ? 100_000_000 : 2_000_000_000);
            Instant captured = SamplePipeline.T0.plusSeconds(i * 60L);
            ContactHistory history = ContactHistory.capture(captured, LeadSource.AD, null, null)
                    .mql(captured.plusNanos(micros * 1_000));
            if (i % 4 == 0) {
                history.qualify(captured.plusNanos(micros * 1_000).plusSeconds(i % 9));
            }
            db.applyAll(history.events());
        }
        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions, planner);
        StageDurationQueries scanning = new StageDurationQueries(db.named, db.transactions,
                ReportPlanner.scanning(db.named));

        assertThat(durations.stageDurations(ReportFilter.asOf(now)))
                .isEqualTo(scanning.stageDurations(ReportFilter.asOf(now)));
        assertThat(planner.aggregatePlans.sum()).isEqualTo(1);
        ReportPlanner.CompletedVisits lead = planner.completedVisits(ReportFilter.asOf(now)).get(Stage.LEAD);
        long[] scanned = db.jdbc.queryForList("SELECT duration_micros FROM read_stage_visit WHERE stage = 'LEAD'"
                + " AND duration_micros IS NOT NULL ORDER BY duration_micros", Long.class)
                .stream().mapToLong(Long::longValue).toArray();
        for (int rank = 1; rank <= scanned.length; rank++) {
            assertThat(lead.durationAtRank(rank)).as("rank %d", rank).isEqualTo(scanned[rank - 1]);
        }
    }

    @Test
    void percentilesAsOfAPastTimeEqualTheScannedOnesAcrossPeriods() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 300; i++) {
            // captures over 200 days, so that visits end in several periods; half of them in one fine bucket
            Instant captured = SamplePipeline.T0.plus(Duration.ofHours(i * 16L));
            long micros = 1_000_000_000L + random.nextInt(i % 2 == 0 ? 10_000_000 : 2_000_000_000);
            Instant mql = captured.plusNanos(micros * 1_000);
            ContactHistory history = ContactHistory.capture(captured, LeadSource.AD, null, null).mql(mql);
            if (i % 3 == 0) {
                history.qualify(mql.plus(Duration.ofDays(random.nextInt(60))).plusSeconds(i));
            }
            db.applyAll(history.events());
        }
        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions, planner);
        StageDurationQueries scanning = new StageDurationQueries(db.named, db.transactions,
                ReportPlanner.scanning(db.named));
        for (int day = 0; day < 260; day += 13) {
            Instant asOf = SamplePipeline.T0.plus(Duration.ofDays(day)).plusSeconds(random.nextInt(86_400));
            assertThat(durations.stageDurations(ReportFilter.asOf(asOf))).as("as of %s", asOf)
                    .isEqualTo(scanning.stageDurations(ReportFilter.asOf(asOf)));
        }
        assertThat(planner.aggregatePlans.sum()).isEqualTo(20);

        Instant asOf = SamplePipeline.T0.plus(Duration.ofDays(100)).plusSeconds(5 * 3600);
        for (Stage stage : List.of(Stage.LEAD, Stage.MQL)) {
            ReportPlanner.CompletedVisits visits = planner.completedVisitsAsOf(asOf).get(stage);
            assertEveryRank(visits, "left_at <= :asOf", new org.springframework.jdbc.core.namedparam
                    .MapSqlParameterSource("stage", stage.name()).addValue("asOf", Timestamps.toDb(asOf)), 1);
        }
        assertRebuildKeeps("read_duration_period ORDER BY stage, digits, bucket, ended_period", "ended_period", 4);
    }

    /**
     * Every rank of {@code visits} is the duration that the completed visit rows of its stage meeting
     * {@code condition} hold at that rank.
     */
    private void assertEveryRank(ReportPlanner.CompletedVisits visits, String condition,
                                 org.springframework.jdbc.core.namedparam.MapSqlParameterSource params, int atLeast) {
        long[] scanned = db.named.queryForList("SELECT duration_micros FROM read_stage_visit WHERE stage = :stage"
                        + " AND duration_micros IS NOT NULL AND " + condition + " ORDER BY duration_micros", params, Long.class)
                .stream().mapToLong(Long::longValue).toArray();
        assertThat(visits.count()).isEqualTo(scanned.length).isGreaterThanOrEqualTo(atLeast);
        for (int rank = 1; rank <= scanned.length; rank++) {
            assertThat(visits.durationAtRank(rank)).as("%s rank %d", params.getValue("stage"), rank)
                    .isEqualTo(scanned[rank - 1]);
        }
    }

    /**
     * The rows of an aggregate table as the projection kept them, over more than {@code moreThan} values of
     * {@code spread}, are what a rebuild from the rows gives.
     */
    private void assertRebuildKeeps(String tableInOrder, String spread, int moreThan) {
        String all = "SELECT * FROM " + tableInOrder;
        List<java.util.Map<String, Object>> kept = db.jdbc.queryForList(all);
        assertThat(kept.stream().map(row -> row.get(spread)).distinct().count()).isGreaterThan(moreThan);
        new ReportAggregates(db.jdbc).rebuildFromRows();
        assertThat(db.jdbc.queryForList(all)).isEqualTo(kept);
    }

    @Test
    void percentilesOfARangeOfCaptureEqualTheScannedOnes() {
        java.util.Random random = new java.util.Random(13);
        for (int i = 0; i < 400; i++) {
            // captures every 3.6 hours over 60 days; a third of the LEAD visits in one coarse bucket
            Instant captured = SamplePipeline.T0.plusSeconds(i * 12_960L);
            long micros = 1_000_000_000L + random.nextInt(i % 3 == 0 ? 100_000_000 : 2_000_000_000);
            Instant mql = captured.plusNanos(micros * 1_000);
            ContactHistory history = ContactHistory.capture(captured, LeadSource.AD, null, i % 2 == 0 ? "sam" : null)
                    .mql(mql);
            if (i % 3 != 2) {
                history.qualify(mql.plusSeconds(1 + random.nextInt(500_000)));
            }
            db.applyAll(history.events());
        }
        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions, planner);
        StageDurationQueries scanning = new StageDurationQueries(db.named, db.transactions,
                ReportPlanner.scanning(db.named));
        Instant day = Instant.parse("2024-01-11T00:00:00Z");
        List<ReportFilter> ranges = List.of(
                new ReportFilter(day, day.plus(Duration.ofDays(20)), now, null, null, null),
                new ReportFilter(day.plusSeconds(5_000), day.plus(Duration.ofDays(20)).plusSeconds(40_000), now,
                        null, null, null),
                new ReportFilter(day.plusSeconds(5_000), day.plusSeconds(60_000), now, null, null, null),
                new ReportFilter(day.plusSeconds(1), null, now, null, null, null),
                new ReportFilter(null, day.plusNanos(1_500), now, null, null, null));
        for (ReportFilter range : ranges) {
            assertThat(durations.stageDurations(range)).as("%s", range).isEqualTo(scanning.stageDurations(range));
        }
        // the range inside one day holds no whole day, under 2 % of all contacts: scanned
        assertThat(planner.aggregatePlans.sum()).isEqualTo(ranges.size() - 1);
        assertThat(planner.scans.sum()).isEqualTo(1);
        // with an owner besides, the visits are not counted per day of capture: scanned
        ReportFilter owned = new ReportFilter(day, day.plus(Duration.ofDays(20)), now, null, null, "sam");
        assertThat(durations.stageDurations(owned)).isEqualTo(scanning.stageDurations(owned));
        assertThat(planner.scans.sum()).isEqualTo(2);
        // one whole day of 60 holds under 2 % of all contacts, two hold over
        assertThat(planner.plan(new ReportFilter(day, day.plus(Duration.ofDays(1)), now, null, null, null), true))
                .isEmpty();
        assertThat(planner.plan(new ReportFilter(day, day.plus(Duration.ofDays(2)), now, null, null, null), true))
                .isPresent();

        ReportPlanner.AggregatePlan plan = planner.plan(ranges.get(1), true).orElseThrow();
        assertThat(plan.partials()).hasSize(2);
        for (Stage stage : List.of(Stage.LEAD, Stage.MQL)) {
            ReportPlanner.CompletedVisits visits = planner.completedVisits(plan).get(stage);
            assertEveryRank(visits, "captured_at >= :from AND captured_at < :to", new org.springframework.jdbc.core
                    .namedparam.MapSqlParameterSource("stage", stage.name())
                    .addValue("from", Timestamps.toDb(ranges.get(1).from()))
                    .addValue("to", Timestamps.toDb(ranges.get(1).to())), 51);
        }
        assertRebuildKeeps("read_duration_captured ORDER BY captured_day, stage, bucket", "captured_day", 50);
    }

    @Test
    void percentilesPerSourceCampaignOrOwnerEqualTheScannedOnesAfterOwnersChange() {
        java.util.Random random = new java.util.Random(11);
        List<LeadSource> sources = List.of(LeadSource.AD, LeadSource.REFERRAL);
        List<String> campaigns = java.util.Arrays.asList("spring", null);
        List<String> owners = java.util.Arrays.asList("sam", "kim", null);
        for (int i = 0; i < 300; i++) {
            long micros = 1_000_000_000L + random.nextInt(i % 2 == 0 ? 50_000_000 : 2_000_000_000);
            Instant captured = SamplePipeline.T0.plusSeconds(i * 60L);
            Instant mql = captured.plusNanos(micros * 1_000);
            ContactHistory history = ContactHistory.capture(captured, sources.get(i % 2), campaigns.get(i / 2 % 2),
                    owners.get(i % 3)).mql(mql).qualify(mql.plusSeconds(1 + i % 7));
            if (i % 5 == 0) {
                // reassigned after two visits completed: both move to the new owner
                history.assign(owners.get((i + 1) % 3), mql.plusSeconds(60));
            }
            if (i % 4 == 0) {
                history.convert(mql.plusSeconds(120 + random.nextInt(5_000)));
            }
            db.applyAll(history.events());
        }
        StageDurationQueries durations = new StageDurationQueries(db.named, db.transactions, planner);
        StageDurationQueries scanning = new StageDurationQueries(db.named, db.transactions,
                ReportPlanner.scanning(db.named));
        int filters = 0;
        for (LeadSource source : java.util.Arrays.asList(null, LeadSource.AD, LeadSource.REFERRAL)) {
            for (String campaign : java.util.Arrays.asList(null, "spring", "none-such")) {
                for (String owner : java.util.Arrays.asList(null, "sam", "kim")) {
                    ReportFilter filter = new ReportFilter(null, null, now, source, campaign, owner);
                    assertThat(durations.stageDurations(filter)).as("%s", filter)
                            .isEqualTo(scanning.stageDurations(filter));
                    // all contacts, or one of source, campaign and owner
                    filters += java.util.stream.Stream.of(source, campaign, owner)
                            .filter(java.util.Objects::nonNull).count() <= 1 ? 1 : 0;
                }
            }
        }
        assertThat(planner.aggregatePlans.sum()).isEqualTo(filters);
        assertThat(filters).isEqualTo(7);
        assertThat(planner.completedVisits(new ReportFilter(null, null, now, null, null, "kim"))
                .get(Stage.PROSPECT).count()).isPositive();
        assertRebuildGivesTheSameBuckets();
    }

    @Test
    void conversionByMonthOfCaptureAsOfAPastTimeEqualsTheScannedOne() {
        java.util.Random random = new java.util.Random(17);
        List<String> owners = java.util.Arrays.asList("sam", "kim", null);
        for (int i = 0; i < 300; i++) {
            // captures every 14 hours over six months; each contact moves on over the weeks after
            Instant captured = SamplePipeline.T0.plus(Duration.ofHours(i * 14L));
            ContactHistory history = ContactHistory.capture(captured, LeadSource.AD, null, owners.get(i % 3));
            Instant at = captured.plus(Duration.ofHours(1 + random.nextInt(400)));
            if (i % 7 == 0) {
                history.disqualify(at).recycle(at.plus(Duration.ofDays(3)));
                at = at.plus(Duration.ofDays(4));
            }
            if (i % 5 != 4) {
                history.mql(at).qualify(at.plus(Duration.ofHours(random.nextInt(300))));
                at = at.plus(Duration.ofDays(20));
                if (i % 2 == 0) {
                    history.assign(owners.get((i + 1) % 3), at.minus(Duration.ofDays(5))).convert(at);
                    at = at.plus(Duration.ofHours(random.nextInt(900)));
                    if (i % 4 == 0) {
                        history.win(at);
                    } else if (i % 3 == 0) {
                        history.lose(at);
                    }
                }
            }
            db.applyAll(history.events());
        }
        ConversionQueries conversion = new ConversionQueries(db.named, planner);
        ConversionQueries scanning = new ConversionQueries(db.named, ReportPlanner.scanning(db.named));
        for (int day = 0; day < 240; day += 9) {
            ReportFilter filter = ReportFilter.asOf(SamplePipeline.T0.plus(Duration.ofDays(day))
                    .plusSeconds(random.nextInt(86_400)));
            assertThat(conversion.conversionRates(filter, GroupBy.COHORT_MONTH)).as("%s", filter)
                    .isEqualTo(scanning.conversionRates(filter, GroupBy.COHORT_MONTH));
        }
        assertThat(planner.aggregatePlans.sum()).isEqualTo(27);
        assertThat(planner.scans.sum()).isZero();
        // the answer as of asOf's day: months whose counts changed on it, months that began on it
        ReportFilter monthStart = ReportFilter.asOf(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(conversion.conversionRates(monthStart, GroupBy.COHORT_MONTH).groups()).hasSize(2)
                .isEqualTo(scanning.conversionRates(monthStart, GroupBy.COHORT_MONTH).groups());
        // per month of one source, campaign or owner, the change rows have no months: scanned
        ReportFilter owned = new ReportFilter(null, null, Instant.parse("2024-03-10T12:00:00Z"), null, null, "kim");
        assertThat(conversion.conversionRates(owned, GroupBy.COHORT_MONTH))
                .isEqualTo(scanning.conversionRates(owned, GroupBy.COHORT_MONTH));
        assertThat(planner.scans.sum()).isEqualTo(1);
        String all = "SELECT * FROM read_cohort_month_change WHERE NOT (" + ReportAggregates.NO_COUNTS
                + ") ORDER BY changed_day, captured_month";
        List<java.util.Map<String, Object>> kept = db.jdbc.queryForList(all);
        assertThat(kept.stream().map(row -> row.get("captured_month")).distinct().count()).isGreaterThan(5);
        new ReportAggregates(db.jdbc).rebuildFromRows();
        assertThat(db.jdbc.queryForList(all)).isEqualTo(kept);
    }

    private void assertRebuildGivesTheSameBuckets() {
        String all = "SELECT * FROM read_duration_bucket ORDER BY source_key, campaign_key, owner_key, stage, digits, bucket";
        List<java.util.Map<String, Object>> kept = db.jdbc.queryForList(all);
        new ReportAggregates(db.jdbc).rebuildFromRows();
        assertThat(db.jdbc.queryForList(all)).isEqualTo(kept);
    }

    @Test
    void groupsByMonthAddUpTheirDays() {
        sample.feed(db);
        ReportPlanner.AggregatePlan all = planner.plan(ReportFilter.asOf(now), false).orElseThrow();

        assertThat(planner.grouped(all, ReportPlanner.Grouping.COHORT_MONTH)).containsOnlyKeys("2024-01", "2024-02")
                .hasEntrySatisfying("2024-01", counts -> assertThat(counts.contacts()).isEqualTo(3));
        assertThat(planner.grouped(all, ReportPlanner.Grouping.OWNER)).containsOnlyKeys("sam", "kim", null);
        assertThat(planner.completedVisits(ReportFilter.asOf(now)).get(Stage.LEAD).count()).isEqualTo(3);
        assertThat(List.of(planner.completedVisits(ReportFilter.asOf(now)).get(Stage.LEAD).durationAtRank(1)))
                .containsExactly(Duration.ofHours(1).toNanos() / 1_000);
    }
}
