package com.salespipeline.query.funnel;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Stages;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/** The funnel: one pass over the cohort's contact rows for "reached", one over their visits for "current". */
@Service
public class FunnelQueries {

    private final NamedParameterJdbcTemplate jdbc;

    public FunnelQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public FunnelReport funnel(ReportFilter filter, FunnelMode mode) {
        Map<Stage, Long> reached = reached(Cohort.contacts(filter, false), mode);
        Map<Stage, Long> current = current(Cohort.visits(filter));
        List<FunnelReport.StageCount> stages = new ArrayList<>();
        for (Stage stage : Stages.FUNNEL) {
            stages.add(new FunnelReport.StageCount(stage, reached.get(stage), current.getOrDefault(stage, 0L)));
        }
        Map<Stage, Long> exits = new LinkedHashMap<>();
        for (Stage exit : Stages.EXITS) {
            exits.put(exit, current.getOrDefault(exit, 0L));
        }
        return new FunnelReport(filter.asOf(), mode, stages, exits);
    }

    private Map<Stage, Long> reached(Cohort cohort, FunnelMode mode) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (Stage stage : Stages.FUNNEL) {
            String column = mode == FunnelMode.STRICT ? Stages.enteredColumn(stage) : Stages.reachedColumn(stage);
            sql.append(stage == Stage.LEAD ? "" : ", ")
                    .append("COALESCE(SUM(CASE WHEN c.").append(column).append(" <= :asOf THEN 1 ELSE 0 END), 0) AS reached_")
                    .append(stage.ordinal());
        }
        sql.append(" FROM ").append(cohort.from()).append(" WHERE ").append(cohort.where());
        return jdbc.queryForObject(sql.toString(), cohort.params(), (rs, row) -> {
            Map<Stage, Long> counts = new EnumMap<>(Stage.class);
            for (Stage stage : Stages.FUNNEL) {
                counts.put(stage, rs.getLong("reached_" + stage.ordinal()));
            }
            return counts;
        });
    }

    /** How many cohort contacts stand in each stage at asOf (exits included). */
    private Map<Stage, Long> current(Cohort cohort) {
        Map<Stage, Long> counts = new EnumMap<>(Stage.class);
        jdbc.query("SELECT v.stage, COUNT(*) AS n FROM " + cohort.from() + " WHERE " + cohort.where()
                        + " AND " + Cohort.VISIT_OPEN_AT_AS_OF + " GROUP BY v.stage", cohort.params(),
                rs -> {
                    counts.put(Stage.valueOf(rs.getString("stage")), rs.getLong("n"));
                });
        return counts;
    }
}
