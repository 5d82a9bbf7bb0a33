-- The newest link of each contact's hash chain, written with its event: verification compares the
-- stored events against it, so that deleting a contact's latest events is detected too.
CREATE TABLE event_chain_head (
    aggregate_identifier VARCHAR(255) NOT NULL PRIMARY KEY,
    sequence_number      BIGINT       NOT NULL,
    hash                 VARCHAR(64)  NOT NULL
);
