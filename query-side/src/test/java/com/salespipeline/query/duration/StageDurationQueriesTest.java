package com.salespipeline.query.duration;

import static com.salespipeline.query.lifecycle.SamplePipeline.FEB;
import static com.salespipeline.query.lifecycle.SamplePipeline.LATER;
import static com.salespipeline.query.lifecycle.SamplePipeline.h;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.SamplePipeline;
import com.salespipeline.query.duration.StageDurationReport.StageDuration;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StageDurationQueriesTest {

    private final ReadModelDatabase db = new ReadModelDatabase();
    private final StageDurationQueries queries = new StageDurationQueries(db.named, db.transactions);

    @BeforeEach
    void feed() {
        new SamplePipeline().feed(db);
    }

    @Test
    void completedVisitsByStage() {
        StageDurationReport report = queries.stageDurations(ReportFilter.asOf(LATER));

        assertThat(report.stages()).extracting(StageDuration::stage).containsExactly(Stage.LEAD, Stage.MQL,
                Stage.PROSPECT, Stage.OPPORTUNITY, Stage.CUSTOMER, Stage.ADVOCATE);
        // LEAD: A 1h, B 2h, C 1h completed; C's second visit and D open
        StageDuration lead = report.stages().get(0);
        assertThat(lead.count()).isEqualTo(3);
        assertThat(lead.avgSeconds()).isEqualTo(4800.0);
        assertThat(lead.p50Seconds()).isEqualTo(3600L);
        assertThat(lead.p90Seconds()).isEqualTo(7200L);
        assertThat(lead.maxSeconds()).isEqualTo(7200L);
        assertThat(lead.openCount()).isEqualTo(2);
        double ageOfC = Duration.between(FEB.plus(Duration.ofHours(5)), LATER).toSeconds();
        double ageOfD = Duration.between(h(5), LATER).toSeconds();
        assertThat(lead.openAvgAgeSeconds()).isEqualTo((ageOfC + ageOfD) / 2);

        StageDuration mql = report.stages().get(1);
        assertThat(mql).isEqualTo(new StageDuration(Stage.MQL, 2, 5400.0, 3600L, 7200L, 7200L, 0, null));
        assertThat(report.stages().get(3))
                .isEqualTo(new StageDuration(Stage.OPPORTUNITY, 2, 14400.0, 14400L, 14400L, 14400L, 0, null));
        StageDuration advocate = report.stages().get(5);
        assertThat(advocate).isEqualTo(new StageDuration(Stage.ADVOCATE, 0, null, null, null, null, 1,
                (double) Duration.between(h(20), LATER).toSeconds()));
    }

    @Test
    void aVisitEndingAfterAsOfIsOpenAtAsOf() {
        StageDurationReport report = queries.stageDurations(ReportFilter.asOf(h(8)));

        StageDuration opportunity = report.stages().get(3);
        assertThat(opportunity.count()).isZero();
        assertThat(opportunity.openCount()).isEqualTo(2);
        // A entered at 6h, B at 5h: ages 2h and 3h
        assertThat(opportunity.openAvgAgeSeconds()).isEqualTo(9000.0);
        assertThat(report.stages().get(2).count()).isEqualTo(2);
    }

    @Test
    void fractionsOfSecondsAreKept() {
        ReadModelDatabase fresh = new ReadModelDatabase();
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        fresh.applyAll(ContactHistory.capture(start, LeadSource.AD, null, null).mql(start.plusMillis(1500)).events());

        StageDuration lead = new StageDurationQueries(fresh.named, fresh.transactions).stageDurations(ReportFilter.asOf(start.plusSeconds(2)))
                .stages().get(0);
        assertThat(lead.p50Seconds()).isEqualTo(1.5);
        assertThat(lead.avgSeconds()).isEqualTo(1.5);
        assertThat(lead.maxSeconds()).isEqualTo(1.5);
    }

    @Test
    void cohortFiltersApplyToVisits() {
        StageDurationReport referrals = queries.stageDurations(
                new ReportFilter(null, null, LATER, LeadSource.REFERRAL, null, null));

        assertThat(referrals.stages().get(0)).isEqualTo(new StageDuration(Stage.LEAD, 1, 7200.0, 7200L, 7200L, 7200L,
                0, null));
        assertThat(referrals.stages().get(1).count()).isZero();
    }
}
