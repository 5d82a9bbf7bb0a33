-- The aggregate tables count every contact under several keys, a column left out of a key holding '*' (V4, V6):
-- the cohort counts under each subset of (source, campaign, owner), the duration buckets under each of the three
-- alone and under all three as '*'. Each column is '*' in a large share of the rows, but all three together
-- only in the few rows of the whole cohort. The planner multiplied the columns' shares, expected ten times the
-- rows that the duration buckets of all contacts hold, and read the whole table (24-42 ms at 1,000,000
-- contacts) instead of one prefix of its primary key (2 ms; docs/benchmarks.md, session 14). A list of the
-- keys' most common combinations gives it the real count. ANALYZE builds the list: below for the rows already
-- there, and the bulk replay analyzes these tables before it switches to the generation it wrote. H2 has no
-- such statistics; its reports met their targets without them.

CREATE STATISTICS read_duration_bucket_keys (mcv) ON source_key, campaign_key, owner_key FROM read_duration_bucket;
CREATE STATISTICS read_cohort_count_keys (mcv) ON span, source_key, campaign_key, owner_key FROM read_cohort_count;

CREATE STATISTICS read_b_duration_bucket_keys (mcv) ON source_key, campaign_key, owner_key FROM read_duration_bucket_b;
CREATE STATISTICS read_b_cohort_count_keys (mcv) ON span, source_key, campaign_key, owner_key FROM read_cohort_count_b;

ANALYZE read_duration_bucket, read_cohort_count, read_duration_bucket_b, read_cohort_count_b;
