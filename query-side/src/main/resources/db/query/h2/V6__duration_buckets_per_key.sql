-- Stage durations narrowed by one of source, campaign or current owner are answered from the aggregates
-- too: read_duration_bucket now counts the completed visits under four keys per contact, with the key
-- columns and the '*', '-' and '=' encoding of read_cohort_count: all contacts (*, *, *), the contact's source
-- (source, *, *), its campaign (*, campaign, *) and its current owner (*, *, owner). A completed visit moves
-- with its contact when the owner changes. Combinations of the three are not kept: their fine buckets come
-- close to one row per visit.
-- The buckets of V4 had no keys and cannot be split, so the table is made anew, and the watermark rows are
-- removed: on start the query side finds the aggregates unbuilt and rebuilds all of them from the rows
-- (ReportAggregates.rebuildUnlessBuilt), before its projection applies anything.

DROP TABLE read_duration_bucket;
CREATE TABLE read_duration_bucket (
    source_key   VARCHAR(32)    NOT NULL,
    campaign_key VARCHAR(256)   NOT NULL,
    owner_key    VARCHAR(256)   NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (source_key, campaign_key, owner_key, stage, digits, bucket)
);
DELETE FROM read_report_watermark;

DROP TABLE read_duration_bucket_b;
CREATE TABLE read_duration_bucket_b (
    source_key   VARCHAR(32)    NOT NULL,
    campaign_key VARCHAR(256)   NOT NULL,
    owner_key    VARCHAR(256)   NOT NULL,
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (source_key, campaign_key, owner_key, stage, digits, bucket)
);
DELETE FROM read_report_watermark_b;
