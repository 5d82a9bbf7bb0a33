-- Reports as of a past time are answered from the aggregates too. read_cohort_count gets a third span, 'C':
-- per UTC day of business time (in captured_day) and per key, what that day's changes did to the all-time
-- counts of span 'A'. The rows of the days before asOf's day add up to the counts as they stood when that day
-- began; the contacts changed on the day itself, up to asOf, are found through the indexes below and scanned.
-- Stage durations as of a past time (for all contacts) come from read_duration_period: the completed visits
-- per 32-day period of their end (ended_period: days since 1970-01-01 divided by 32), in the buckets of
-- read_duration_bucket; the visits that ended in asOf's period up to asOf are found by the index on left_at.
-- The watermark rows are removed, so that on start the query side finds the aggregates unbuilt and rebuilds
-- all of them from the rows (ReportAggregates.rebuildUnlessBuilt), the new span with them.

CREATE INDEX read_stage_visit_entered ON read_stage_visit (entered_at);
CREATE INDEX read_owner_period_from ON read_owner_period (valid_from);
CREATE INDEX read_opportunity_closed ON read_opportunity (closed_at);
CREATE TABLE read_duration_period (
    ended_period INTEGER        NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (stage, digits, bucket, ended_period)
);
CREATE INDEX read_stage_visit_left ON read_stage_visit (left_at);
DELETE FROM read_report_watermark;

CREATE INDEX read_b_stage_visit_entered ON read_stage_visit_b (entered_at);
CREATE INDEX read_b_owner_period_from ON read_owner_period_b (valid_from);
CREATE INDEX read_b_opportunity_closed ON read_opportunity_b (closed_at);
CREATE TABLE read_duration_period_b (
    ended_period INTEGER        NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (stage, digits, bucket, ended_period)
);
CREATE INDEX read_b_stage_visit_left ON read_stage_visit_b (left_at);
DELETE FROM read_report_watermark_b;
