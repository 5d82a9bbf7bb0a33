-- Stage durations of one source and campaign (no owner, no range of capture) read that pair's visits from this
-- index alone, as of now and of any earlier time: it leads with the pair, which never changes for a contact, and
-- holds what the report reads of a visit (its stage, its duration, when it ended). Through the pair's contacts and
-- their visits by primary key (V11), the most common pair took 330-470 ms at 1,000,000 contacts on PostgreSQL and
-- 1.4-2.4 s on H2 (docs/benchmarks.md, sessions 28-30). Completed visits are still not counted per pair: that would
-- be about half a row per completed visit (429,472 fine buckets for 869,194 visits at 1,000,000 contacts).

CREATE INDEX read_stage_visit_source_campaign ON read_stage_visit (source, campaign, stage, duration_micros, left_at);

CREATE INDEX read_b_stage_visit_source_campaign ON read_stage_visit_b (source, campaign, stage, duration_micros, left_at);
