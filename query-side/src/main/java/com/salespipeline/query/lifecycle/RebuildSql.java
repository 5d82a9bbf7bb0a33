package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The statements of {@link ReportAggregates#rebuildFromRows()}: the same counts the projection keeps. */
final class RebuildSql {

    private static final String KEY_COLUMNS = "captured_day, source_key, campaign_key, owner_key";
    private static final String COUNT_COLUMNS = String.join(", ", CohortCounts.COLUMNS);

    private RebuildSql() {
    }

    /** One row per key of every (source, campaign, owner), from the contact rows and their closed opportunities. */
    static String finestCounts() {
        String day = "CAST(FLOOR(EXTRACT(EPOCH FROM c.captured_at) / 86400) AS INTEGER)";
        String campaign = key("c.campaign");
        String owner = key("c.owner");
        List<String> sums = new ArrayList<>(List.of("COUNT(*)"));
        for (Stage stage : Stage.values()) {
            sums.add("SUM(CASE WHEN c.stage = '" + stage.name() + "' THEN 1 ELSE 0 END)");
        }
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            sums.add("SUM(CASE WHEN c." + Stages.reachedColumn(stage) + " IS NOT NULL THEN 1 ELSE 0 END)");
        }
        for (Stage stage : Stages.FUNNEL.subList(1, Stages.FUNNEL.size())) {
            sums.add("SUM(CASE WHEN c." + Stages.enteredColumn(stage) + " IS NOT NULL THEN 1 ELSE 0 END)");
        }
        for (Stage stage : Stages.FUNNEL) {
            sums.add("COALESCE(SUM(CASE WHEN c.stage = '" + stage.name()
                    + "' THEN CAST(c.stage_entered_micros AS DECIMAL(38, 0)) END), 0)");
        }
        sums.add("COALESCE(SUM(o.won), 0)");
        sums.add("COALESCE(SUM(o.lost), 0)");
        return "INSERT INTO read_cohort_count (" + KEY_COLUMNS + ", " + COUNT_COLUMNS + ")"
                + " SELECT " + day + ", c.source, " + campaign + ", " + owner + ", " + String.join(", ", sums)
                + " FROM read_contact c LEFT JOIN (SELECT contact_id,"
                + " SUM(CASE WHEN outcome = 'WON' THEN 1 ELSE 0 END) AS won,"
                + " SUM(CASE WHEN outcome = 'LOST' THEN 1 ELSE 0 END) AS lost"
                + " FROM read_opportunity WHERE closed_at IS NOT NULL GROUP BY contact_id) o"
                + " ON o.contact_id = c.contact_id"
                + " GROUP BY " + day + ", c.source, " + campaign + ", " + owner;
    }

    /** The keys of one coarser subset, added up from the finest rows. */
    static String coarserCounts(boolean source, boolean campaign, boolean owner) {
        String any = "'" + ReportAggregates.ANY + "'";
        List<String> groups = new ArrayList<>(List.of("captured_day"));
        if (source) {
            groups.add("source_key");
        }
        if (campaign) {
            groups.add("campaign_key");
        }
        if (owner) {
            groups.add("owner_key");
        }
        return "INSERT INTO read_cohort_count (" + KEY_COLUMNS + ", " + COUNT_COLUMNS + ")"
                + " SELECT captured_day, " + (source ? "source_key" : any) + ", " + (campaign ? "campaign_key" : any)
                + ", " + (owner ? "owner_key" : any) + ", "
                + CohortCounts.COLUMNS.stream().map(c -> "SUM(" + c + ")").collect(Collectors.joining(", "))
                + " FROM read_cohort_count WHERE source_key <> " + any + " AND campaign_key <> " + any
                + " AND owner_key <> " + any + " GROUP BY " + String.join(", ", groups);
    }

    /** The completed visits of the funnel stages per bucket. */
    static String durationBuckets() {
        String bucket = DurationBuckets.sql("duration_micros");
        return "INSERT INTO read_duration_bucket (stage, bucket, visits, total_micros)"
                + " SELECT stage, " + bucket + ", COUNT(*), SUM(CAST(duration_micros AS DECIMAL(38, 0)))"
                + " FROM read_stage_visit WHERE duration_micros IS NOT NULL AND stage IN ("
                + Stages.FUNNEL.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")"
                + " GROUP BY stage, " + bucket;
    }

    private static String key(String column) {
        return "CASE WHEN " + column + " IS NULL THEN '-' ELSE '=' || " + column + " END";
    }
}
