package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.query.funnel.FunnelMode;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Envelope;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportAggregates;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.SamplePipeline;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The report aggregates live in each generation like the rows they summarise. */
class GenerationRoutingTest {

    private static final List<String> AGGREGATES = List.of("read_cohort_count", "read_cohort_month_change",
            "read_duration_bucket", "read_duration_period", "read_duration_captured", "read_report_watermark");

    private final ReadModelDatabase db = new ReadModelDatabase();
    private final ReadModelGenerations generations = new ReadModelGenerations(db.jdbc);
    private final JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db.dataSource, generations));

    @Test
    void theProjectionAndTheRebuildOfGenerationBKeepTheAggregatesOfB() {
        LifecycleProjection projection = new LifecycleProjection(routed, db.transactions);
        SamplePipeline sample = new SamplePipeline();
        generations.on("b", () -> {
            for (ContactHistory history : List.of(sample.a, sample.b, sample.c, sample.d)) {
                history.events().forEach(event -> Envelope.dispatch(projection, event));
            }
            return null;
        });

        for (String table : AGGREGATES) {
            assertThat(count(table)).as(table).isZero();
            assertThat(count(table + "_b")).as(table + "_b").isPositive();
        }
        List<String> maintained = db.jdbc.queryForList("SELECT source_key || campaign_key || owner_key || contacts"
                + " FROM read_cohort_count_b WHERE span <> 'C' ORDER BY 1", String.class);
        generations.on("b", () -> new TransactionTemplate(db.transactions).execute(status -> {
            new ReportAggregates(routed).rebuildFromRows();
            return null;
        }));
        assertThat(db.jdbc.queryForList("SELECT source_key || campaign_key || owner_key || contacts"
                + " FROM read_cohort_count_b WHERE span <> 'C' ORDER BY 1", String.class)).isEqualTo(maintained);
        assertThat(count("read_cohort_count")).isZero();

        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(routed);
        ReportPlanner planner = new ReportPlanner(named, db.transactions);
        ReportFilter now = ReportFilter.asOf(SamplePipeline.LATER);
        generations.activate("b");
        assertThat(new FunnelQueries(named, planner).funnel(now, FunnelMode.STRICT))
                .isEqualTo(new FunnelQueries(named, ReportPlanner.scanning(named)).funnel(now, FunnelMode.STRICT));
        assertThat(planner.fromAggregates(now, false, plan -> plan)).as("answered from the aggregates of b").isPresent();
    }

    private long count(String table) {
        return db.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }
}
