-- The query service's position in its event source (Kafka partition offsets), committed with the rows
-- it produced. Named apart from the command side's token_entry: the standalone app shares one database.
CREATE TABLE query_token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);
