-- Aggregates that answer the reports for "now" without scanning a row per contact; the projection keeps
-- them in the transaction of the rows they summarise, and ReportAggregates.rebuildFromRows recomputes them.
--
-- read_cohort_count: the contacts captured on one UTC day (span 'D', captured_day: days since 1970-01-01),
-- or ever (span 'A', captured_day 0), with one source, campaign and current owner, counted by current
-- stage, by funnel stages reached (cumulative) and entered (strict), with the sum of their current stage's
-- start (epoch micros, for the mean age of open visits) and their closed opportunities won and lost.
-- Each contact is counted under eight keys per span, one per subset of (source, campaign, owner): a column
-- outside the subset holds '*', so a filtered or grouped report reads one key prefix of one index instead
-- of adding up the finest rows. Campaign and owner are '-' for none and '=' followed by the value
-- otherwise, so that neither NULL (which a key cannot hold) nor a value equal to '*' can be confused with
-- another; source is the enum name. After the span, the three indexes hold the three rotations of
-- (source, campaign, owner): every pair of filters is a prefix of one of them.
--
-- read_duration_bucket: completed funnel-stage visits per stage and duration bucket, by the first two
-- (digits 2) and the first three (digits 3) decimal digits of the duration (see DurationBuckets), with their
-- count and total; a percentile's bucket is found in the first, narrowed in the second, and its value read
-- from read_stage_visit_duration inside that bucket's range.
--
-- read_report_watermark: the latest business time of any applied change the aggregates reflect (NULL:
-- none yet). No row: the aggregates were never built for these rows, and reports scan.

CREATE TABLE read_cohort_count (
    span                     CHAR(1)       NOT NULL,
    captured_day             INTEGER       NOT NULL,
    source_key               VARCHAR(32)   NOT NULL,
    campaign_key             VARCHAR(256)  NOT NULL,
    owner_key                VARCHAR(256)  NOT NULL,
    contacts                 BIGINT        NOT NULL,
    current_lead             BIGINT        NOT NULL,
    current_mql              BIGINT        NOT NULL,
    current_prospect         BIGINT        NOT NULL,
    current_opportunity      BIGINT        NOT NULL,
    current_customer         BIGINT        NOT NULL,
    current_advocate         BIGINT        NOT NULL,
    current_disqualified     BIGINT        NOT NULL,
    current_lost             BIGINT        NOT NULL,
    reached_mql              BIGINT        NOT NULL,
    reached_prospect         BIGINT        NOT NULL,
    reached_opportunity      BIGINT        NOT NULL,
    reached_customer         BIGINT        NOT NULL,
    reached_advocate         BIGINT        NOT NULL,
    entered_mql              BIGINT        NOT NULL,
    entered_prospect         BIGINT        NOT NULL,
    entered_opportunity      BIGINT        NOT NULL,
    entered_customer         BIGINT        NOT NULL,
    entered_advocate         BIGINT        NOT NULL,
    open_lead_micros         DECIMAL(38, 0) NOT NULL,
    open_mql_micros          DECIMAL(38, 0) NOT NULL,
    open_prospect_micros     DECIMAL(38, 0) NOT NULL,
    open_opportunity_micros  DECIMAL(38, 0) NOT NULL,
    open_customer_micros     DECIMAL(38, 0) NOT NULL,
    open_advocate_micros     DECIMAL(38, 0) NOT NULL,
    won                      BIGINT        NOT NULL,
    lost                     BIGINT        NOT NULL,
    PRIMARY KEY (span, source_key, campaign_key, owner_key, captured_day)
);
CREATE INDEX read_cohort_count_owner ON read_cohort_count (span, owner_key, source_key, campaign_key, captured_day);
CREATE INDEX read_cohort_count_campaign ON read_cohort_count (span, campaign_key, owner_key, source_key, captured_day);

CREATE TABLE read_duration_bucket (
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (stage, digits, bucket)
);

CREATE TABLE read_report_watermark (
    id            INTEGER                  NOT NULL PRIMARY KEY,
    applied_until TIMESTAMP WITH TIME ZONE
);

CREATE INDEX read_stage_visit_duration ON read_stage_visit (stage, duration_micros);

-- The second generation, as V3 does for V1.
CREATE TABLE read_cohort_count_b (
    span                     CHAR(1)       NOT NULL,
    captured_day             INTEGER       NOT NULL,
    source_key               VARCHAR(32)   NOT NULL,
    campaign_key             VARCHAR(256)  NOT NULL,
    owner_key                VARCHAR(256)  NOT NULL,
    contacts                 BIGINT        NOT NULL,
    current_lead             BIGINT        NOT NULL,
    current_mql              BIGINT        NOT NULL,
    current_prospect         BIGINT        NOT NULL,
    current_opportunity      BIGINT        NOT NULL,
    current_customer         BIGINT        NOT NULL,
    current_advocate         BIGINT        NOT NULL,
    current_disqualified     BIGINT        NOT NULL,
    current_lost             BIGINT        NOT NULL,
    reached_mql              BIGINT        NOT NULL,
    reached_prospect         BIGINT        NOT NULL,
    reached_opportunity      BIGINT        NOT NULL,
    reached_customer         BIGINT        NOT NULL,
    reached_advocate         BIGINT        NOT NULL,
    entered_mql              BIGINT        NOT NULL,
    entered_prospect         BIGINT        NOT NULL,
    entered_opportunity      BIGINT        NOT NULL,
    entered_customer         BIGINT        NOT NULL,
    entered_advocate         BIGINT        NOT NULL,
    open_lead_micros         DECIMAL(38, 0) NOT NULL,
    open_mql_micros          DECIMAL(38, 0) NOT NULL,
    open_prospect_micros     DECIMAL(38, 0) NOT NULL,
    open_opportunity_micros  DECIMAL(38, 0) NOT NULL,
    open_customer_micros     DECIMAL(38, 0) NOT NULL,
    open_advocate_micros     DECIMAL(38, 0) NOT NULL,
    won                      BIGINT        NOT NULL,
    lost                     BIGINT        NOT NULL,
    PRIMARY KEY (span, source_key, campaign_key, owner_key, captured_day)
);
CREATE INDEX read_b_cohort_count_owner ON read_cohort_count_b (span, owner_key, source_key, campaign_key, captured_day);
CREATE INDEX read_b_cohort_count_campaign ON read_cohort_count_b (span, campaign_key, owner_key, source_key, captured_day);

CREATE TABLE read_duration_bucket_b (
    stage        VARCHAR(16)    NOT NULL,
    digits       INTEGER        NOT NULL,
    bucket       INTEGER        NOT NULL,
    visits       BIGINT         NOT NULL,
    total_micros DECIMAL(38, 0) NOT NULL,
    PRIMARY KEY (stage, digits, bucket)
);

CREATE TABLE read_report_watermark_b (
    id            INTEGER                  NOT NULL PRIMARY KEY,
    applied_until TIMESTAMP WITH TIME ZONE
);

CREATE INDEX read_b_stage_visit_duration ON read_stage_visit_b (stage, duration_micros);
