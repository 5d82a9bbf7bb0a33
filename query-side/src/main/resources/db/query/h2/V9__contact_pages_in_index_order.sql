-- GET /api/contacts pages through the contacts of a stage, owner, source or campaign in the order of
-- (captured_at, contact_id). The indexes on those columns end in contact_id too, so a page is read in index
-- order instead of sorting every matching contact: half a million LEAD contacts took 12 s per page on H2.
-- IF EXISTS: a bulk replay that died between taking an inactive generation's indexes off and putting them
-- back leaves them missing (the next replay puts back what the serving generation has).

DROP INDEX IF EXISTS read_contact_source;
DROP INDEX IF EXISTS read_contact_campaign;
DROP INDEX IF EXISTS read_contact_stage;
DROP INDEX IF EXISTS read_contact_owner;
CREATE INDEX read_contact_source ON read_contact (source, captured_at, contact_id);
CREATE INDEX read_contact_campaign ON read_contact (campaign, captured_at, contact_id);
CREATE INDEX read_contact_stage ON read_contact (stage, captured_at, contact_id);
CREATE INDEX read_contact_owner ON read_contact (owner, captured_at, contact_id);

DROP INDEX IF EXISTS read_b_contact_source;
DROP INDEX IF EXISTS read_b_contact_campaign;
DROP INDEX IF EXISTS read_b_contact_stage;
DROP INDEX IF EXISTS read_b_contact_owner;
CREATE INDEX read_b_contact_source ON read_contact_b (source, captured_at, contact_id);
CREATE INDEX read_b_contact_campaign ON read_contact_b (campaign, captured_at, contact_id);
CREATE INDEX read_b_contact_stage ON read_contact_b (stage, captured_at, contact_id);
CREATE INDEX read_b_contact_owner ON read_contact_b (owner, captured_at, contact_id);
