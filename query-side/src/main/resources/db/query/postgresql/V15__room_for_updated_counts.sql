-- Each batch of the live projection adds to a few dozen rows of read_cohort_count. On a full page every such
-- update writes the new row version to another page and a new entry into each of the table's three indexes; with
-- room left on the page, PostgreSQL keeps the new version beside the old one (a heap-only tuple) and leaves the
-- indexes alone. 70 % leaves that room on the pages filled from now on. A bulk replay packs the rows it writes
-- full and sets this again afterwards (ReportAggregates.rebuildFromFoldedContacts): its millions of rows are
-- mostly never updated again.
ALTER TABLE read_cohort_count SET (fillfactor = 70);
ALTER TABLE read_cohort_count_b SET (fillfactor = 70);
