package com.salespipeline.query.funnel;

import com.salespipeline.events.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Per funnel stage how many cohort contacts reached it and how many stand in it; and the exits. */
public record FunnelReport(Instant asOf, FunnelMode mode, List<StageCount> stages, Map<Stage, Long> exits) {

    public record StageCount(Stage stage, long reached, long current) {
    }
}
