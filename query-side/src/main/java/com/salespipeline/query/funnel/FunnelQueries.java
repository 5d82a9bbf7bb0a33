package com.salespipeline.query.funnel;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.CohortCounts;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Stages;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;

/**
 * The funnel: from the report aggregates when they answer the question (see {@link ReportPlanner}), else in
 * one pass over the cohort's contact rows: each contact's stage at asOf, and whether it had reached (or,
 * strictly, entered) each funnel stage by asOf; counted per stage at asOf.
 */
@Service
public class FunnelQueries {

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportPlanner planner;

    /** Over a plain data source, with transactions of its own. */
    public FunnelQueries(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, new ReportPlanner(jdbc, new JdbcTransactionManager(jdbc.getJdbcTemplate().getDataSource())));
    }

    @Autowired
    public FunnelQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                         ReportPlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
    }

    public FunnelReport funnel(ReportFilter filter, FunnelMode mode) {
        Map<Stage, Long> reached = new EnumMap<>(Stage.class);
        Map<Stage, Long> current = new EnumMap<>(Stage.class);
        count(filter, mode, reached, current);

        List<FunnelReport.StageCount> stages = new ArrayList<>();
        for (Stage stage : Stages.FUNNEL) {
            stages.add(new FunnelReport.StageCount(stage, reached.getOrDefault(stage, 0L),
                    current.getOrDefault(stage, 0L)));
        }
        Map<Stage, Long> exits = new LinkedHashMap<>();
        for (Stage exit : Stages.EXITS) {
            exits.put(exit, current.getOrDefault(exit, 0L));
        }
        return new FunnelReport(filter.asOf(), mode, stages, exits);
    }

    /**
     * How many of the cohort's contacts stood in each stage at asOf: the funnel's {@code current}, exits included.
     * A stage nobody stood in may be absent or 0.
     */
    public Map<Stage, Long> currentCounts(ReportFilter filter) {
        Map<Stage, Long> current = new EnumMap<>(Stage.class);
        count(filter, FunnelMode.CUMULATIVE, new EnumMap<>(Stage.class), current);
        return current;
    }

    /** Adds the cohort's counts to the two maps: from the report aggregates where they answer, else scanned. */
    private void count(ReportFilter filter, FunnelMode mode, Map<Stage, Long> reached, Map<Stage, Long> current) {
        boolean fromAggregates = planner.fromAggregates(filter, false, plan -> {
            CohortCounts whole = planner.total(plan);
            for (Stage stage : Stage.values()) {
                current.put(stage, whole.current(stage));
            }
            for (Stage stage : Stages.FUNNEL) {
                reached.put(stage, mode == FunnelMode.STRICT ? whole.entered(stage) : whole.reached(stage));
            }
            plan.partials().forEach(partial -> scan(partial.filter(), partial.sign(), mode, reached, current));
            return true;
        }).isPresent();
        if (!fromAggregates) {
            scan(filter, 1, mode, reached, current);
        }
    }

    /** Adds {@code sign} times the cohort's counts, scanned from its contact rows, to {@code reached} and {@code current}. */
    private void scan(ReportFilter filter, int sign, FunnelMode mode, Map<Stage, Long> reached,
                      Map<Stage, Long> current) {
        Cohort cohort = Cohort.contacts(filter);
        StringBuilder perContact = new StringBuilder("SELECT ").append(Cohort.STAGE_AS_OF).append(" AS stage_now");
        StringBuilder sums = new StringBuilder();
        for (Stage stage : Stages.FUNNEL) {
            String column = mode == FunnelMode.STRICT ? Stages.enteredColumn(stage) : Stages.reachedColumn(stage);
            perContact.append(", CASE WHEN c.").append(column).append(" <= :asOf THEN 1 ELSE 0 END AS r")
                    .append(stage.ordinal());
            sums.append(", SUM(r").append(stage.ordinal()).append(") AS reached_").append(stage.ordinal());
        }
        perContact.append(" FROM ").append(cohort.from()).append(" WHERE ").append(cohort.where());

        jdbc.query("SELECT stage_now, COUNT(*) AS n" + sums + " FROM (" + perContact + ") per_contact"
                + " GROUP BY stage_now", cohort.params(), rs -> {
                    current.merge(Stage.valueOf(rs.getString("stage_now")), sign * rs.getLong("n"), Long::sum);
                    for (Stage stage : Stages.FUNNEL) {
                        reached.merge(stage, sign * rs.getLong("reached_" + stage.ordinal()), Long::sum);
                    }
                });
    }
}
