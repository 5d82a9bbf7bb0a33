package com.salespipeline.query.funnel;

import static com.salespipeline.query.lifecycle.SamplePipeline.FEB;
import static com.salespipeline.query.lifecycle.SamplePipeline.LATER;
import static com.salespipeline.query.lifecycle.SamplePipeline.h;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.SamplePipeline;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FunnelQueriesTest {

    private final ReadModelDatabase db = new ReadModelDatabase();
    private final FunnelQueries queries = new FunnelQueries(db.named);

    @BeforeEach
    void feed() {
        new SamplePipeline().feed(db);
    }

    @Test
    void cumulativeCountsASkippedMqlAsReached() {
        FunnelReport report = queries.funnel(ReportFilter.asOf(LATER), FunnelMode.CUMULATIVE);

        assertThat(counts(report)).containsExactly("LEAD 4/2", "MQL 3/0", "PROSPECT 2/0", "OPPORTUNITY 2/0",
                "CUSTOMER 1/0", "ADVOCATE 1/1");
        assertThat(report.exits()).containsExactly(Map.entry(Stage.DISQUALIFIED, 0L), Map.entry(Stage.LOST, 1L));
    }

    @Test
    void strictCountsOnlyStagesEntered() {
        FunnelReport report = queries.funnel(ReportFilter.asOf(LATER), FunnelMode.STRICT);

        assertThat(counts(report)).containsExactly("LEAD 4/2", "MQL 2/0", "PROSPECT 2/0", "OPPORTUNITY 2/0",
                "CUSTOMER 1/0", "ADVOCATE 1/1");
    }

    @Test
    void asOfLeavesOutWhatHappenedLater() {
        FunnelReport report = queries.funnel(ReportFilter.asOf(h(8)), FunnelMode.CUMULATIVE);

        assertThat(counts(report)).containsExactly("LEAD 3/1", "MQL 2/0", "PROSPECT 2/0", "OPPORTUNITY 2/2",
                "CUSTOMER 0/0", "ADVOCATE 0/0");
        assertThat(report.exits()).containsEntry(Stage.LOST, 0L);
    }

    @Test
    void anEventAtExactlyAsOfCounts() {
        FunnelReport report = queries.funnel(ReportFilter.asOf(h(9)), FunnelMode.CUMULATIVE);

        assertThat(report.exits()).containsEntry(Stage.LOST, 1L);
        assertThat(counts(report)).contains("OPPORTUNITY 2/1");
    }

    @Test
    void theCohortIsCapturedInFromToAndFiltered() {
        assertThat(counts(queries.funnel(filter(h(2), FEB, null, null, null), FunnelMode.CUMULATIVE)))
                .startsWith("LEAD 2/1", "MQL 1/0");
        assertThat(counts(queries.funnel(filter(null, h(2), null, null, null), FunnelMode.CUMULATIVE)))
                .startsWith("LEAD 1/0");
        assertThat(counts(queries.funnel(filter(null, null, LeadSource.WEB_FORM, "spring", null),
                FunnelMode.CUMULATIVE))).startsWith("LEAD 2/1", "MQL 2/0", "PROSPECT 1/0");
        assertThat(counts(queries.funnel(filter(null, null, LeadSource.SOCIAL, null, null), FunnelMode.CUMULATIVE)))
                .startsWith("LEAD 0/0");
    }

    @Test
    void theOwnerFilterUsesTheOwnerAsOfAsOf() {
        assertThat(counts(queries.funnel(filter(null, null, null, null, "sam"), FunnelMode.CUMULATIVE)))
                .startsWith("LEAD 2/1");
        ReportFilter beforeReassignment = new ReportFilter(null, null, h(6), null, null, "sam");
        assertThat(counts(queries.funnel(beforeReassignment, FunnelMode.CUMULATIVE))).startsWith("LEAD 1/0");
    }

    private static ReportFilter filter(Instant from, Instant to, LeadSource source, String campaign, String owner) {
        return new ReportFilter(from, to, LATER, source, campaign, owner);
    }

    private static List<String> counts(FunnelReport report) {
        return report.stages().stream().map(s -> s.stage() + " " + s.reached() + "/" + s.current()).toList();
    }
}
