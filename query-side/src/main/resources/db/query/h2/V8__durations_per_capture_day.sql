-- Stage durations of a cohort narrowed by from/to (for all sources, campaigns and owners) come from the
-- aggregates too. read_duration_captured holds the completed funnel-stage visits per UTC day of their
-- contact's capture (captured_day: days since 1970-01-01), per stage and coarse bucket of read_duration_bucket
-- (digits 2: fine buckets per day would be about one row per visit). A report adds up the whole days of
-- [from, to), adds the visits of the part-days at either end from the visit rows, and finds the visit at a
-- rank by walking that coarse bucket's range of (stage, duration_micros) for the cohort's captures.
-- The other aggregates stay: on start, ReportAggregates.rebuildUnlessBuilt fills this table alone from the
-- visit rows when it is empty and they hold completed visits (a full rebuild takes about 20 minutes at a
-- million contacts on H2).

CREATE TABLE read_duration_captured (
    captured_day INTEGER        NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (captured_day, stage, bucket)
);

CREATE TABLE read_duration_captured_b (
    captured_day INTEGER        NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (captured_day, stage, bucket)
);
