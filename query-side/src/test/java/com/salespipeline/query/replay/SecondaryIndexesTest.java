package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After a bulk load, PostgreSQL's index-only scans of the new generation need not read its tables. */
class SecondaryIndexesTest {

    @Test
    void vacuumMarksEveryPageOfTheCopiedRowsAllVisibleOnPostgres() throws Exception {
        ReadModelDatabase db = Postgres.readModel();
        db.jdbc.update("DELETE FROM read_stage_visit_b");
        // the embedded server commits asynchronously, and VACUUM marks no page whose inserts' commit is not yet on disk
        db.jdbc.execute("SET synchronous_commit TO on; INSERT INTO read_stage_visit_b (contact_id, entered_seq, stage, entered_at, entered_micros,"
                + " left_at, duration_micros, captured_at, captured_month, source) SELECT md5(i::text)::uuid, 1, 'LEAD',"
                + " now(), i, now(), i, now(), '2026-11', 'WEB_FORM' FROM generate_series(1, 20000) i;");
        try {
            new SecondaryIndexes(db.dataSource).vacuumOnPostgres(ReplayService.BASE_TABLES, "b");

            Map<String, Object> pages = db.jdbc.queryForMap(
                    "SELECT relpages, relallvisible, reltuples FROM pg_class WHERE relname = 'read_stage_visit_b'");
            assertThat((Integer) pages.get("relpages")).isPositive();
            assertThat(pages.get("relallvisible")).isEqualTo(pages.get("relpages"));
            assertThat(((Number) pages.get("reltuples")).longValue()).as("analyzed").isEqualTo(20_000);
        } finally {
            db.jdbc.update("DELETE FROM read_stage_visit_b");
        }
    }

    @Test
    void h2HasNothingToVacuum() {
        ReadModelDatabase h2 = new ReadModelDatabase();

        assertThatCode(() -> new SecondaryIndexes(h2.dataSource).vacuumOnPostgres(ReplayService.BASE_TABLES, "b"))
                .doesNotThrowAnyException();
    }
}
