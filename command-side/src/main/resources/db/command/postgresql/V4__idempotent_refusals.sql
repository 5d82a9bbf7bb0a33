-- Version 3 is H2 only (its sequence cache); this keeps the two folders' numbers for the same change equal.
-- api.md: a retry with the same Idempotency-Key and body returns the first response. When that response was a
-- refusal (a 409 because the contact was not ready, a 404, a 412), a retry must get the same refusal, even if the
-- contact has changed since and the command would now succeed: the caller already holds a final answer for that
-- key. So the refusal's problem details are kept with the key; such a row has no contact outcome.
ALTER TABLE idempotency_record ALTER COLUMN contact_id DROP NOT NULL;
ALTER TABLE idempotency_record ALTER COLUMN stage DROP NOT NULL;
ALTER TABLE idempotency_record ALTER COLUMN version DROP NOT NULL;
ALTER TABLE idempotency_record ADD COLUMN problem TEXT;
ALTER TABLE idempotency_record ADD CONSTRAINT idempotency_record_outcome_or_problem CHECK (
    (problem IS NULL AND contact_id IS NOT NULL AND stage IS NOT NULL AND version IS NOT NULL)
    OR (problem IS NOT NULL AND contact_id IS NULL AND stage IS NULL AND version IS NULL AND opportunity_id IS NULL));
