-- The aggregate tables count every contact under each subset of (source, campaign, owner), a column outside
-- the subset holding '*' (V4). Each column is '*' in a large share of the rows, but all three together only in
-- the few rows of the whole cohort; the planner multiplies the columns' shares and expected ten times as many
-- rows as the stage durations' duration buckets of all contacts hold, and then read the whole table (25-40 ms at
-- 1,000,000 contacts) instead of one prefix of its primary key (2 ms; docs/benchmarks.md, session 14). A list of
-- the keys' most common combinations gives it the real count. ANALYZE builds it; the bulk replay analyzes these
-- tables before it switches to the generation it wrote. H2 has no such statistics; its reports met their targets
-- without them.

CREATE STATISTICS read_duration_bucket_keys (mcv) ON source_key, campaign_key, owner_key FROM read_duration_bucket;
CREATE STATISTICS read_cohort_count_keys (mcv) ON span, source_key, campaign_key, owner_key FROM read_cohort_count;

CREATE STATISTICS read_b_duration_bucket_keys (mcv) ON source_key, campaign_key, owner_key FROM read_duration_bucket_b;
CREATE STATISTICS read_b_cohort_count_keys (mcv) ON span, source_key, campaign_key, owner_key FROM read_cohort_count_b;
