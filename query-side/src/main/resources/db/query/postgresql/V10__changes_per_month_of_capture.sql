-- Conversion rates by month of capture as of a past time come from the aggregates too. The change rows of
-- read_cohort_count (span 'C') are kept per key of source, campaign and owner, not per day of capture, so
-- they cannot be grouped by month of capture. read_cohort_month_change holds, per UTC day of business time
-- (changed_day: days since 1970-01-01) and month of capture ('YYYY-MM', UTC, as the rows' captured_month),
-- what that day's changes did to the counts of all the contacts captured in that month. Summed over the days
-- before asOf's day, they are the counts per month as they stood when that day began; the contacts changed
-- on the day itself are scanned, as for span 'C'. About one row per day and month of capture with changes.
-- The other aggregates stay: on start, ReportAggregates.rebuildUnlessBuilt fills this table alone from the
-- rows when it is empty and there are contacts.

CREATE TABLE read_cohort_month_change (
    changed_day              INTEGER       NOT NULL,
    captured_month           CHAR(7)       NOT NULL,
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
    PRIMARY KEY (changed_day, captured_month)
);

CREATE TABLE read_cohort_month_change_b (
    changed_day              INTEGER       NOT NULL,
    captured_month           CHAR(7)       NOT NULL,
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
    PRIMARY KEY (changed_day, captured_month)
);
