-- A report as of a past time reads what changed on asOf's day (ReportPlanner.past) and the visits that ended in
-- asOf's 32-day period (ReportPlanner.completedVisitsAsOf) through the indexes on those times (V7). Those rows
-- lie all over their tables, so each one found cost a page of its own: at 1,000,000 contacts on H2, stage
-- durations as of mid-period, mid-day read 36,000 visits through 23,000-50,000 pages (350-870 ms) where the
-- same index holding what the query reads took 387-586 pages (18-47 ms; docs/benchmarks.md, session 20).
-- These indexes lead with the same time and carry the columns read, so the range is read from the index alone.
-- IF EXISTS: a bulk replay that died after taking the indexes off the generation it was building left them
-- missing there (as in V9); the next replay copies the serving generation's indexes back.

DROP INDEX IF EXISTS read_stage_visit_left;
CREATE INDEX read_stage_visit_left ON read_stage_visit (left_at, stage, duration_micros);
DROP INDEX IF EXISTS read_stage_visit_entered;
CREATE INDEX read_stage_visit_entered ON read_stage_visit (entered_at, contact_id);
DROP INDEX IF EXISTS read_owner_period_from;
CREATE INDEX read_owner_period_from ON read_owner_period (valid_from, contact_id);
DROP INDEX IF EXISTS read_opportunity_closed;
CREATE INDEX read_opportunity_closed ON read_opportunity (closed_at, contact_id);

DROP INDEX IF EXISTS read_b_stage_visit_left;
CREATE INDEX read_b_stage_visit_left ON read_stage_visit_b (left_at, stage, duration_micros);
DROP INDEX IF EXISTS read_b_stage_visit_entered;
CREATE INDEX read_b_stage_visit_entered ON read_stage_visit_b (entered_at, contact_id);
DROP INDEX IF EXISTS read_b_owner_period_from;
CREATE INDEX read_b_owner_period_from ON read_owner_period_b (valid_from, contact_id);
DROP INDEX IF EXISTS read_b_opportunity_closed;
CREATE INDEX read_b_opportunity_closed ON read_opportunity_b (closed_at, contact_id);
