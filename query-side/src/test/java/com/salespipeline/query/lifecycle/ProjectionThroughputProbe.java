package com.salespipeline.query.lifecycle;

import com.salespipeline.events.LeadSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: how many events per second the live projection applies on embedded PostgreSQL with nothing else
 * running, in transactions of 100 events ({@code -Dprobe.batch=N} for another size) inside a streaming processor's
 * unit of work, as the standalone app's processor applies them. The histories walk the shape of the benchmark's append scenario (capture, engagement,
 * MQL, qualification, conversion, a win or a loss), some stalling on the way, interleaved.
 * {@code ./mvnw -o -pl query-side verify -Dtest=ProjectionThroughputProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs -DargLine="-Dprobe.projection=5000"}: prints each round's events per second. Each round starts from
 * emptied tables; {@code -Dprobe.fillfactor=70} (with {@code -Dprobe.fillfactorTables=read_cohort_count,...}, all
 * tables by default) sets their fill factor first; {@code -Dprobe.maxWalSize=8GB} the server's {@code max_wal_size};
 * {@code -Dprobe.dropIndexes=read_contact_stage,...} drops those indexes first (what an index costs the projection;
 * the probe's database is its own); {@code -Dprobe.stageIndex=true} puts back the index on read_contact's stage that
 * V16 dropped. Each round prints how many of the updates of three tables were heap-only.
 * Each round also prints the WAL it wrote and the checkpoints during it.
 */
@EnabledIfSystemProperty(named = "probe.projection", matches = "\\d+")
class ProjectionThroughputProbe {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final int BATCH = Integer.getInteger("probe.batch", 100);
    private static final List<String> TABLES = List.of("read_contact", "read_stage_visit", "read_owner_period",
            "read_opportunity", "read_cohort_count", "read_cohort_month_change", "read_duration_bucket",
            "read_duration_period", "read_duration_captured", "read_report_watermark");

    @Test
    void eventsPerSecondOnPostgres() {
        int contacts = Integer.getInteger("probe.projection");
        // one connection kept open, as the app's pool keeps them: the driver prepares a statement on the server
        // once it ran five times on a connection, and a new connection per transaction would plan every one anew
        ReadModelDatabase db;
        try {
            db = new ReadModelDatabase(new SingleConnectionDataSource(Postgres.readModel().dataSource.getConnection(),
                    true));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        if (System.getProperty("probe.maxWalSize") != null) {
            // the server's default (1GB) starts a checkpoint every gigabyte of log
            db.jdbc.execute("ALTER SYSTEM SET max_wal_size = '" + System.getProperty("probe.maxWalSize") + "'");
            db.jdbc.execute("SELECT pg_reload_conf()");
        }
        for (int round = 1; round <= 3; round++) {
            // emptied, not deleted row by row: the dead rows of a round would slow the next one down
            db.jdbc.execute("TRUNCATE " + String.join(", ", TABLES));
            if (System.getProperty("probe.fillfactor") != null) {
                for (String table : System.getProperty("probe.fillfactorTables", String.join(",", TABLES)).split(",")) {
                    db.jdbc.execute("ALTER TABLE " + table + " SET (fillfactor = " + System.getProperty("probe.fillfactor") + ")");
                }
            }
            for (String index : System.getProperty("probe.dropIndexes", "").split(",")) {
                if (!index.isBlank()) {
                    db.jdbc.execute("DROP INDEX IF EXISTS " + index);
                }
            }
            if (Boolean.getBoolean("probe.stageIndex")) {
                // the index on read_contact's stage that V16 dropped, for a comparison
                db.jdbc.execute("CREATE INDEX IF NOT EXISTS read_contact_stage ON read_contact (stage, captured_at, contact_id)");
            }
            db.jdbc.execute("VACUUM ANALYZE");
            List<Envelope> events = events(contacts, new Random(round));
            Map<String, long[]> updatesBefore = updates(db);
            long checkpointsBefore = checkpoints(db);
            String walBefore = db.jdbc.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
            long start = System.nanoTime();
            for (int from = 0; from < events.size(); from += BATCH) {
                List<Envelope> batch = events.subList(from, Math.min(events.size(), from + BATCH));
                inStreamingBatch(db, () -> batch.forEach(db::apply));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("projection probe, round %d: %d events of %d contacts in %.2f s: %.0f events/s%n",
                    round, events.size(), contacts, seconds, events.size() / seconds);
            // what the round cost the server's log: after each checkpoint the first change of a page logs the whole
            // page, so the same events can write several times the log when checkpoints come often
            long walBytes = db.jdbc.queryForObject("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint",
                    Long.class, walBefore);
            System.out.printf("projection probe, round %d: %.1f MB of WAL (%.1f KB per event), %d checkpoints%n",
                    round, walBytes / 1e6, walBytes / 1e3 / events.size(), checkpoints(db) - checkpointsBefore);
            // an update that changes no indexed column and finds room on its page writes no index entry (HOT)
            for (Map.Entry<String, long[]> after : updates(db).entrySet()) {
                long[] before = updatesBefore.getOrDefault(after.getKey(), new long[2]);
                System.out.printf("projection probe, round %d: %s: %d rows updated, %d of them heap-only%n",
                        round, after.getKey(), after.getValue()[0] - before[0], after.getValue()[1] - before[1]);
            }
        }
    }

    /** Per table: rows updated, and of them heap-only, as the statistics collector has them after a wait. */
    private static Map<String, long[]> updates(ReadModelDatabase db) {
        try {
            // PostgreSQL 14's backends report to the statistics collector at most every half second
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, long[]> updates = new TreeMap<>();
        db.jdbc.query("SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname IN"
                + " ('read_contact', 'read_stage_visit', 'read_cohort_count')",
                rs -> {
                    updates.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return updates;
    }

    private static long checkpoints(ReadModelDatabase db) {
        return db.jdbc.queryForObject("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter", Long.class);
    }

    private static void inStreamingBatch(ReadModelDatabase db, Runnable work) {
        BatchingUnitOfWork<?> unitOfWork = new BatchingUnitOfWork<>(new GenericTrackedEventMessage<>(
                new GlobalSequenceTrackingToken(0), GenericEventMessage.asEventMessage("batch")));
        unitOfWork.start();
        try {
            new TransactionTemplate(db.transactions).executeWithoutResult(status -> work.run());
        } finally {
            unitOfWork.rollback();
        }
    }

    private static List<Envelope> events(int contacts, Random random) {
        List<ContactHistory> histories = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            Instant at = T0.plus(Duration.ofSeconds(i));
            ContactHistory contact = ContactHistory.capture(at, LeadSource.values()[random.nextInt(3)],
                    "campaign-" + random.nextInt(5), "rep-" + random.nextInt(4)).engage(at.plusMillis(100));
            int steps = random.nextInt(5);
            if (steps >= 1) {
                contact.mql(at.plusMillis(200));
            }
            if (steps >= 2) {
                contact.qualify(at.plusMillis(300));
            }
            if (steps >= 3) {
                contact.convert(at.plusMillis(400));
            }
            if (steps >= 4) {
                if (random.nextBoolean()) {
                    contact.win(at.plusMillis(500));
                } else {
                    contact.lose(at.plusMillis(500));
                }
            }
            histories.add(contact);
        }
        return LifecycleProjectionTest.interleave(histories, random);
    }
}
