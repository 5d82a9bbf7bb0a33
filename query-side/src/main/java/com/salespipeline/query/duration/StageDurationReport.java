package com.salespipeline.query.duration;

import com.salespipeline.events.Stage;
import java.time.Instant;
import java.util.List;

/** Per funnel stage: how long completed visits took, and how old the open ones are at asOf. */
public record StageDurationReport(Instant asOf, List<StageDuration> stages) {

    /**
     * @param count             completed visits
     * @param avgSeconds        their mean duration (null without completed visits)
     * @param p50Seconds        their median by nearest rank
     * @param p90Seconds        their 90th percentile by nearest rank
     * @param maxSeconds        the longest
     * @param openCount         visits open at asOf
     * @param openAvgAgeSeconds their mean age at asOf (null without open visits)
     */
    public record StageDuration(Stage stage, long count, Double avgSeconds, Number p50Seconds, Number p90Seconds,
                                Number maxSeconds, long openCount, Double openAvgAgeSeconds) {
    }
}
