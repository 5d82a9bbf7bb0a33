-- The second generation of every read-model table. A replay rebuilds the inactive generation while the
-- active one keeps serving, then switches over (read_model_generation). Same shape as V1, suffix _b.
CREATE TABLE read_contact_b (
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
CREATE INDEX read_b_contact_captured ON read_contact_b (captured_at, contact_id);
CREATE INDEX read_b_contact_source ON read_contact_b (source, captured_at);
CREATE INDEX read_b_contact_campaign ON read_contact_b (campaign, captured_at);
CREATE INDEX read_b_contact_stage ON read_contact_b (stage, captured_at);
CREATE INDEX read_b_contact_owner ON read_contact_b (owner, captured_at);

CREATE TABLE read_stage_visit_b (
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
CREATE INDEX read_b_stage_visit_captured ON read_stage_visit_b (captured_at);

CREATE TABLE read_owner_period_b (
    contact_id UUID                     NOT NULL,
    from_seq   BIGINT                   NOT NULL,
    owner      VARCHAR(255),
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (contact_id, from_seq)
);
CREATE INDEX read_b_owner_period_owner ON read_owner_period_b (owner, contact_id);

CREATE TABLE read_opportunity_b (
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
CREATE INDEX read_b_opportunity_captured ON read_opportunity_b (captured_at);

CREATE TABLE read_model_generation (
    id     INTEGER    NOT NULL PRIMARY KEY,
    active VARCHAR(1) NOT NULL
);
INSERT INTO read_model_generation (id, active) VALUES (1, 'a');
