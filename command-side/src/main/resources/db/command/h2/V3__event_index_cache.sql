-- H2 hands out global_index values from a cache and, each time the cache runs out, commits the new high mark on
-- its own. With WRITE_DELAY=0 that commit stores every page changed so far, in the middle of a group commit whose
-- own commit then stores most of those pages again: with H2's cache of 32 that happened every second batch at 16
-- clients. 256 values make it rare. Measured with a one-file JDBC program inserting event-sized rows: 64 rows per
-- transaction wrote 415 KB per transaction with 32 values, 233 KB with 256 and 235 KB with 1000; 16 rows per
-- transaction 124, 111 and 109 KB. The price: a process killed with kill -9 leaves up to 256 indexes unused (H2
-- stores the exact value on a clean close), gaps that Axon's tracking tokens step over (StandaloneCrashIT).
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET CACHE 256;
