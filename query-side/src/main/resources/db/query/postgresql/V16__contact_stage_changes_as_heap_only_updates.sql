-- A stage change rewrites the contact's row. While an index of read_contact held the stage, every such update
-- wrote a new entry into each of the table's ten indexes; without one, PostgreSQL keeps the new row version on the
-- same page and leaves the indexes alone (a heap-only update) whenever the page has room. In the projection probe
-- (ProjectionThroughputProbe, 20,000 contacts) 93 % of read_contact's updates became heap-only instead of 31 %, and
-- the live projection applied 38-65 % more events per second (docs/benchmarks.md, session 47).
--
-- The contacts of one stage, in order of capture (GET /api/contacts?stage=), are found through their open visits
-- instead: every contact has exactly one, in the stage it stands in, with its time of capture copied (V1). The
-- index holds only the open visits; a visit enters it once, when it opens, and an ended visit's new row version
-- has no entry in it. H2 keeps the index on read_contact: it has no heap-only updates.

DROP INDEX IF EXISTS read_contact_stage;
DROP INDEX IF EXISTS read_b_contact_stage;

CREATE INDEX read_stage_visit_open ON read_stage_visit (stage, captured_at, contact_id) WHERE left_at IS NULL;
CREATE INDEX read_b_stage_visit_open ON read_stage_visit_b (stage, captured_at, contact_id) WHERE left_at IS NULL;
