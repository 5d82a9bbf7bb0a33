package com.salespipeline.query.duration;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.Stages;
import com.salespipeline.query.lifecycle.Timestamps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Stage durations from the cohort's stage visits: completed ones (ended by asOf) aggregated in SQL, their
 * nearest-rank percentiles picked by row number in SQL at ranks computed here, and the visits open at asOf
 * aggregated for their mean age.
 */
@Service
public class StageDurationQueries {

    private static final int[] PERCENTILES = {50, 90};

    private final NamedParameterJdbcTemplate jdbc;

    public StageDurationQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public StageDurationReport stageDurations(ReportFilter filter) {
        Cohort cohort = Cohort.of(filter, false);
        MapSqlParameterSource params = new MapSqlParameterSource(cohort.params().getValues())
                .addValue("funnelStages", Stages.FUNNEL.stream().map(Stage::name).toList());
        String visits = " FROM " + cohort.fromWithVisits() + " WHERE " + cohort.where()
                + " AND v.stage IN (:funnelStages) AND ";

        Map<Stage, Completed> completed = new EnumMap<>(Stage.class);
        jdbc.query("SELECT v.stage, COUNT(*) AS n, SUM(CAST(v.duration_micros AS DECIMAL(38, 0))) AS total,"
                        + " MAX(v.duration_micros) AS longest" + visits + Cohort.VISIT_COMPLETED_BY_AS_OF
                        + " GROUP BY v.stage", params,
                rs -> {
                    completed.put(Stage.valueOf(rs.getString("stage")),
                            new Completed(rs.getLong("n"), rs.getBigDecimal("total"), rs.getLong("longest")));
                });

        long asOfMicros = Timestamps.epochMicros(Timestamps.floorMicros(filter.asOf()));
        Map<Stage, Double> openAge = new EnumMap<>(Stage.class);
        Map<Stage, Long> openCount = new EnumMap<>(Stage.class);
        jdbc.query("SELECT v.stage, COUNT(*) AS n, SUM(CAST(v.entered_micros AS DECIMAL(38, 0))) AS entered"
                        + visits + Cohort.VISIT_OPEN_AT_AS_OF + " GROUP BY v.stage", params,
                rs -> {
                    Stage stage = Stage.valueOf(rs.getString("stage"));
                    long n = rs.getLong("n");
                    openCount.put(stage, n);
                    openAge.put(stage, Seconds.averageAge(asOfMicros, n, rs.getBigDecimal("entered")));
                });

        Map<Stage, Map<Long, Long>> percentileValues = percentileValues(visits, params, completed);

        List<StageDurationReport.StageDuration> stages = new ArrayList<>();
        for (Stage stage : Stages.FUNNEL) {
            Completed done = completed.get(stage);
            long opened = openCount.getOrDefault(stage, 0L);
            Double age = openAge.get(stage);
            if (done == null) {
                stages.add(new StageDurationReport.StageDuration(stage, 0, null, null, null, null, opened, age));
                continue;
            }
            Map<Long, Long> byRank = percentileValues.get(stage);
            stages.add(new StageDurationReport.StageDuration(stage, done.count(),
                    Seconds.average(done.totalMicros(), done.count()),
                    Seconds.of(byRank.get(NearestRank.rank(50, done.count()))),
                    Seconds.of(byRank.get(NearestRank.rank(90, done.count()))),
                    Seconds.of(done.maxMicros()), opened, age));
        }
        return new StageDurationReport(filter.asOf(), stages);
    }

    /** Per stage, the durations at the percentile ranks, by rank. */
    private Map<Stage, Map<Long, Long>> percentileValues(String visits, MapSqlParameterSource cohortParams,
                                                         Map<Stage, Completed> completed) {
        Map<Stage, Map<Long, Long>> values = new EnumMap<>(Stage.class);
        if (completed.isEmpty()) {
            return values;
        }
        MapSqlParameterSource params = new MapSqlParameterSource(cohortParams.getValues());
        List<String> wanted = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Stage, Completed> entry : completed.entrySet()) {
            List<Long> ranks = new ArrayList<>();
            for (int percent : PERCENTILES) {
                ranks.add(NearestRank.rank(percent, entry.getValue().count()));
            }
            wanted.add("(stage = :stage" + i + " AND rn IN (:ranks" + i + "))");
            params.addValue("stage" + i, entry.getKey().name()).addValue("ranks" + i, ranks);
            values.put(entry.getKey(), new HashMap<>());
            i++;
        }
        jdbc.query("SELECT stage, rn, d FROM (SELECT v.stage AS stage, v.duration_micros AS d,"
                        + " ROW_NUMBER() OVER (PARTITION BY v.stage ORDER BY v.duration_micros) AS rn"
                        + visits + Cohort.VISIT_COMPLETED_BY_AS_OF + ") ranked WHERE " + String.join(" OR ", wanted),
                params, rs -> {
                    values.get(Stage.valueOf(rs.getString("stage"))).put(rs.getLong("rn"), rs.getLong("d"));
                });
        return values;
    }

    private record Completed(long count, BigDecimal totalMicros, long maxMicros) {
    }
}
