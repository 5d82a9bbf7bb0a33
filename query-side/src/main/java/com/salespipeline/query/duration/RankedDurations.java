package com.salespipeline.query.duration;

import com.salespipeline.events.Stage;
import java.sql.Array;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The completed visits of a cohort summarised per stage by PostgreSQL, which answers with one row per stage rather
 * than every duration. For one source and campaign, whose index hands the visits over in stage order: streaming
 * the 36,708 completed visits of the most common pair at 1,000,000 contacts to the app cost more than the scan
 * itself (13 ms of server time), while ranking them there took 11 ms in all (docs/benchmarks.md, session 32).
 * Not on H2, where the app is the database: ranking there with window functions was slower than streaming.
 */
final class RankedDurations {

    private RankedDurations() {
    }

    /**
     * The statement over {@code visits}: a FROM clause and WHERE conditions naming the completed visits {@code v}.
     * {@code percentile_disc(f)} is the value at row {@code ceil(f * n)} in ascending order, PostgreSQL computing
     * {@code f * n} in double precision: exactly {@link NearestRank#rank} for 0.5, and for 0.9 too, since the
     * product of the double nearest 0.9 and a count rounds back to the integer 0.9 * n when there is one, and
     * otherwise lies a tenth or more from any integer.
     */
    static String statement(String visits) {
        return "SELECT v.stage AS stage, COUNT(*) AS n, SUM(v.duration_micros) AS total,"
                + " MAX(v.duration_micros) AS longest,"
                + " percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v.duration_micros) AS percentiles"
                + visits + " GROUP BY v.stage";
    }

    /** The summary of every stage that has completed visits among {@code visits}. */
    static Map<Stage, DurationSummary> summarise(NamedParameterJdbcTemplate jdbc, String visits,
                                                MapSqlParameterSource params) {
        Map<Stage, DurationSummary> summaries = new EnumMap<>(Stage.class);
        jdbc.query(statement(visits), params, rs -> {
            Array percentiles = rs.getArray("percentiles");
            Object[] values = (Object[]) percentiles.getArray();
            summaries.put(Stage.valueOf(rs.getString("stage")), DurationSummary.of(rs.getLong("n"),
                    rs.getBigDecimal("total"), ((Number) values[0]).longValue(), ((Number) values[1]).longValue(),
                    rs.getLong("longest")));
            percentiles.free();
        });
        return summaries;
    }
}
