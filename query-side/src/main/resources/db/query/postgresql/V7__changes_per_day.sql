-- Reports as of a past time are answered from the aggregates too. read_cohort_count gets a third span, 'C':
-- per UTC day of business time (in captured_day) and per key, what that day's changes did to the all-time
-- counts of span 'A'. The rows of the days before asOf's day add up to the counts as they stood when that day
-- began; the contacts changed on the day itself, up to asOf, are found through the indexes below and scanned.
-- The watermark rows are removed, so that on start the query side finds the aggregates unbuilt and rebuilds
-- all of them from the rows (ReportAggregates.rebuildUnlessBuilt), the new span with them.

CREATE INDEX read_stage_visit_entered ON read_stage_visit (entered_at);
CREATE INDEX read_owner_period_from ON read_owner_period (valid_from);
CREATE INDEX read_opportunity_closed ON read_opportunity (closed_at);
DELETE FROM read_report_watermark;

CREATE INDEX read_b_stage_visit_entered ON read_stage_visit_b (entered_at);
CREATE INDEX read_b_owner_period_from ON read_owner_period_b (valid_from);
CREATE INDEX read_b_opportunity_closed ON read_opportunity_b (closed_at);
DELETE FROM read_report_watermark_b;
