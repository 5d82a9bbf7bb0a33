-- The contact lifecycle read model: every report is answered from these rows, never from the events.
-- Each report evaluates "as of" a business time, so rows keep when things happened, not only where a
-- contact stands now. Instants are TIMESTAMP WITH TIME ZONE (microseconds); *_micros columns hold the same
-- instants as epoch microseconds so that durations and ages are portable integer arithmetic.
-- A contact's cohort attributes never change (captured_at, captured_month, source, campaign), so the visit
-- and opportunity rows carry copies: reports filter and group them without a join per row.

-- One row per contact. version = sequence of the last event applied: the projection's idempotency guard.
-- stage_entered_at and owner_since say since when the current stage and owner hold: for an asOf at or
-- after them, the contact row alone answers "stage / owner as of asOf" without the history tables.
-- entered_<stage>_at: first entry into that funnel stage (strict funnel; LEAD is captured_at).
-- reached_<stage>_at: first time the contact was in that stage or a later funnel stage (cumulative funnel).
CREATE TABLE read_contact (
    contact_id             UUID                     NOT NULL PRIMARY KEY,
    version                BIGINT                   NOT NULL,
    name                   VARCHAR(255),
    email                  VARCHAR(320),
    company                VARCHAR(255),
    source                 VARCHAR(32)              NOT NULL,
    campaign               VARCHAR(255),
    owner                  VARCHAR(255),
    owner_since            TIMESTAMP WITH TIME ZONE NOT NULL,
    stage                  VARCHAR(16)              NOT NULL,
    stage_entered_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    stage_entered_micros   BIGINT                   NOT NULL,
    captured_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    captured_month         CHAR(7)                  NOT NULL,
    last_occurred_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    entered_mql_at         TIMESTAMP WITH TIME ZONE,
    entered_prospect_at    TIMESTAMP WITH TIME ZONE,
    entered_opportunity_at TIMESTAMP WITH TIME ZONE,
    entered_customer_at    TIMESTAMP WITH TIME ZONE,
    entered_advocate_at    TIMESTAMP WITH TIME ZONE,
    reached_mql_at         TIMESTAMP WITH TIME ZONE,
    reached_prospect_at    TIMESTAMP WITH TIME ZONE,
    reached_opportunity_at TIMESTAMP WITH TIME ZONE,
    reached_customer_at    TIMESTAMP WITH TIME ZONE,
    reached_advocate_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX read_contact_captured ON read_contact (captured_at, contact_id);
CREATE INDEX read_contact_source ON read_contact (source, captured_at);
CREATE INDEX read_contact_campaign ON read_contact (campaign, captured_at);
CREATE INDEX read_contact_stage ON read_contact (stage, captured_at);
CREATE INDEX read_contact_owner ON read_contact (owner, captured_at);

-- One row per stay in a stage, keyed by the sequence of the event that moved the contact in.
-- left_at is null while the contact is still there; duration_micros is set when the visit ends.
CREATE TABLE read_stage_visit (
    contact_id      UUID                     NOT NULL,
    entered_seq     BIGINT                   NOT NULL,
    stage           VARCHAR(16)              NOT NULL,
    entered_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    entered_micros  BIGINT                   NOT NULL,
    left_at         TIMESTAMP WITH TIME ZONE,
    duration_micros BIGINT,
    captured_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    captured_month  CHAR(7)                  NOT NULL,
    source          VARCHAR(32)              NOT NULL,
    campaign        VARCHAR(255),
    PRIMARY KEY (contact_id, entered_seq)
);
CREATE INDEX read_stage_visit_captured ON read_stage_visit (captured_at);

-- Who owned the contact when: the owner filter and grouping use the owner as of the report's asOf.
CREATE TABLE read_owner_period (
    contact_id UUID                     NOT NULL,
    from_seq   BIGINT                   NOT NULL,
    owner      VARCHAR(255),
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (contact_id, from_seq)
);
CREATE INDEX read_owner_period_owner ON read_owner_period (owner, contact_id);

-- Opportunities: the one a conversion opened and the upsells opened later; outcome WON or LOST once closed.
CREATE TABLE read_opportunity (
    contact_id     UUID                     NOT NULL,
    opportunity_id UUID                     NOT NULL,
    upsell         BOOLEAN                  NOT NULL,
    opened_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at      TIMESTAMP WITH TIME ZONE,
    outcome        VARCHAR(4),
    captured_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    captured_month CHAR(7)                  NOT NULL,
    source         VARCHAR(32)              NOT NULL,
    campaign       VARCHAR(255),
    PRIMARY KEY (contact_id, opportunity_id)
);
CREATE INDEX read_opportunity_captured ON read_opportunity (captured_at);
