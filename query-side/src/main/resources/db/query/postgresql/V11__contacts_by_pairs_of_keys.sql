-- Stage durations as of now narrowed by two or three of source, campaign and current owner (or by one of them and
-- from/to) are read from the cohort's contacts and their visits by primary key, instead of scanning the visits
-- of every contact; these indexes find a pair's contacts at once (H2 uses one index per table, so the indexes
-- on one key would read every contact of that key). Completed visits are not counted per pair: that would be
-- about a row per visit, three times over.

CREATE INDEX read_contact_campaign_owner ON read_contact (campaign, owner, contact_id);
CREATE INDEX read_contact_source_owner ON read_contact (source, owner, contact_id);
CREATE INDEX read_contact_source_campaign ON read_contact (source, campaign, contact_id);

CREATE INDEX read_b_contact_campaign_owner ON read_contact_b (campaign, owner, contact_id);
CREATE INDEX read_b_contact_source_owner ON read_contact_b (source, owner, contact_id);
CREATE INDEX read_b_contact_source_campaign ON read_contact_b (source, campaign, contact_id);
