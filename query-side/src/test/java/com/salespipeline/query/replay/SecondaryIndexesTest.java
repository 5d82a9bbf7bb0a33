package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * After a bulk load, PostgreSQL's index-only scans of the new generation need not read its tables, and its planner
 * knows the most common combinations of the aggregates' keys; the aggregates' indexes are built two at once on PostgreSQL
 * and one after the other on H2; a partial index of the serving generation is built partial again.
 */
class SecondaryIndexesTest {

    @Test
    void vacuumMarksEveryPageOfTheCopiedRowsAllVisibleOnPostgres() throws Exception {
        ReadModelDatabase db = Postgres.readModel();
        db.jdbc.update("DELETE FROM read_stage_visit_b");
        // the embedded server commits asynchronously, and VACUUM marks no page whose inserts' commit is not yet on disk
        String insert = "INSERT INTO read_stage_visit_b (contact_id, entered_seq, stage, entered_at, entered_micros,"
                + " left_at, duration_micros, captured_at, captured_month, source) SELECT md5(i::text)::uuid, 1, 'LEAD',"
                + " now(), i, now(), i, now(), '2026-11', 'WEB_FORM' FROM generate_series(1, 20000) i";
        // on one connection: the setting must not stay on a pooled connection that other tests use
        db.jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit TO on");
                statement.execute(insert);
                statement.execute("RESET synchronous_commit");
            }
            return null;
        });
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
    void theReplayAnalyzesTheAggregatesWithTheStatisticsOfTheirKeysOnPostgres() throws Exception {
        ReadModelDatabase db = Postgres.readModel();
        List<String> statistics = db.jdbc.queryForList("SELECT stxname FROM pg_statistic_ext ORDER BY stxname",
                String.class);
        assertThat(statistics).as("migration V12, both generations").contains("read_duration_bucket_keys",
                "read_cohort_count_keys", "read_b_duration_bucket_keys", "read_b_cohort_count_keys");

        db.jdbc.update("DELETE FROM read_duration_bucket_b");
        // visits counted as the aggregates count them: under each key alone and under all three as '*'
        db.jdbc.execute("INSERT INTO read_duration_bucket_b (source_key, campaign_key,"
                + " owner_key, stage, digits, bucket, visits, total_micros) SELECT source_key, campaign_key, owner_key,"
                + " 'LEAD', 2, bucket, COUNT(*), SUM(i) FROM (SELECT CASE WHEN k = 1 THEN 'S' || i % 10 ELSE '*' END"
                + " AS source_key, CASE WHEN k = 2 THEN '=c' || i % 43 ELSE '*' END AS campaign_key, CASE WHEN k = 3"
                + " THEN '=o' || i % 31 ELSE '*' END AS owner_key, 10 + i / 7 % 90 AS bucket, i"
                + " FROM generate_series(1, 20000) i, generate_series(0, 3) k) visit"
                + " GROUP BY source_key, campaign_key, owner_key, bucket;");
        try {
            new SecondaryIndexes(db.dataSource).analyzeOnPostgres(ReplayService.DERIVED_TABLES, "b");

            List<String> combinations = db.jdbc.queryForList("SELECT m.values::text FROM pg_statistic_ext e"
                    + " JOIN pg_statistic_ext_data d ON d.stxoid = e.oid, pg_mcv_list_items(d.stxdmcv) m"
                    + " WHERE e.stxname = 'read_b_duration_bucket_keys'", String.class);
            assertThat(combinations).as("the keys' most common combinations, built by the replay's ANALYZE")
                    .contains("{*,*,*}");
        } finally {
            db.jdbc.update("DELETE FROM read_duration_bucket_b");
        }
    }

    @Test
    void aPartialIndexOfTheServingGenerationIsBuiltPartialOnPostgres() throws Exception {
        ReadModelDatabase db = Postgres.readModel();
        SecondaryIndexes indexes = new SecondaryIndexes(db.dataSource);
        List<SecondaryIndexes.Index> wanted = indexes.dropAll(List.of("read_stage_visit"), "b", "a");
        try {
            assertThat(indexesLike(db, "read_b_stage_visit_%")).as("dropped").isEmpty();
            assertThat(wanted).filteredOn(index -> index.name().equals("read_b_stage_visit_source_campaign"))
                    .singleElement().extracting(SecondaryIndexes.Index::where).isEqualTo("(duration_micros IS NOT NULL)");
        } finally {
            indexes.createAll(wanted);
        }
        assertThat(db.jdbc.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = ?", String.class,
                "read_b_stage_visit_source_campaign")).endsWith("WHERE (duration_micros IS NOT NULL)");
        assertThat(db.jdbc.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = ?", String.class,
                "read_b_stage_visit_left")).doesNotContain("WHERE");
    }

    @Test
    void postgresBuildsTwoIndexesAtOnce() throws Exception {
        ReadModelDatabase db = Postgres.readModel();
        List<SecondaryIndexes.Index> wanted = List.of(
                new SecondaryIndexes.Index("read_b_test_at_once_1", "read_cohort_count_b", List.of("owner_key")),
                new SecondaryIndexes.Index("read_b_test_at_once_2", "read_cohort_count_b", List.of("campaign_key")));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection holder = db.dataSource.getConnection()) {
            // both builds wait behind this lock: seen waiting together, they run at once
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("LOCK TABLE read_cohort_count_b IN ROW EXCLUSIVE MODE");
            }
            Future<?> built = caller.submit(() -> {
                new SecondaryIndexes(db.dataSource).createAtOnce(wanted);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int waiting = 0;
            while (waiting < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                waiting = db.jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'CREATE INDEX read_b_test_at_once_%'", Integer.class);
            }
            assertThat(waiting).as("builds waiting for the table at the same time").isEqualTo(2);
            assertThat(built).as("still waiting while the lock is held").isNotDone();
            holder.rollback();
            built.get(30, TimeUnit.SECONDS);

            assertThat(indexesLike(db, "read_b_test_at_once_%"))
                    .containsExactly("read_b_test_at_once_1", "read_b_test_at_once_2");
        } finally {
            caller.shutdownNow();
            dropIndexes(db, wanted);
        }
    }

    @Test
    void postgresThrowsTheFirstFailedIndexWithTheOthersSuppressedAfterEveryBuildEnded() {
        ReadModelDatabase db = Postgres.readModel();
        List<SecondaryIndexes.Index> wanted = List.of(
                new SecondaryIndexes.Index("read_b_test_at_once_1", "read_cohort_count_b", List.of("owner_key")),
                new SecondaryIndexes.Index("read_b_test_at_once_2", "read_cohort_count_b", List.of("no_such_column")),
                new SecondaryIndexes.Index("read_b_test_at_once_3", "read_cohort_count_b", List.of("campaign_key")),
                new SecondaryIndexes.Index("read_b_test_at_once_4", "read_cohort_count_b", List.of("nor_this_one")),
                new SecondaryIndexes.Index("read_b_test_at_once_5", "read_cohort_count_b", List.of("source_key")));
        try {
            Throwable thrown = catchThrowable(() -> new SecondaryIndexes(db.dataSource).createAtOnce(wanted));

            assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining("no_such_column");
            assertThat(thrown.getSuppressed()).singleElement().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                    .hasMessageContaining("nor_this_one");
            assertThat(indexesLike(db, "read_b_test_at_once_%"))
                    .containsExactly("read_b_test_at_once_1", "read_b_test_at_once_3", "read_b_test_at_once_5");
        } finally {
            dropIndexes(db, wanted);
        }
    }

    @Test
    void h2BuildsIndexesOneAfterTheOtherOnTheCallersThread() throws Exception {
        ReadModelDatabase h2 = new ReadModelDatabase();
        List<String> connectingThreads = new CopyOnWriteArrayList<>();
        DataSource recording = new DelegatingDataSource(h2.dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                connectingThreads.add(Thread.currentThread().getName());
                return super.getConnection();
            }
        };
        List<SecondaryIndexes.Index> wanted = List.of(
                new SecondaryIndexes.Index("read_b_test_at_once_1", "read_cohort_count_b", List.of("owner_key")),
                new SecondaryIndexes.Index("read_b_test_at_once_2", "read_cohort_count_b", List.of("campaign_key")));

        new SecondaryIndexes(recording).createAtOnce(wanted);

        assertThat(connectingThreads).isNotEmpty().containsOnly(Thread.currentThread().getName());
        assertThat(h2.jdbc.queryForList("SELECT LOWER(index_name) FROM information_schema.indexes"
                + " WHERE LOWER(index_name) LIKE 'read_b_test_at_once_%' ORDER BY 1", String.class))
                .containsExactly("read_b_test_at_once_1", "read_b_test_at_once_2");
    }

    private static List<String> indexesLike(ReadModelDatabase db, String pattern) {
        return db.jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE indexname LIKE ? ORDER BY indexname",
                String.class, pattern);
    }

    private static void dropIndexes(ReadModelDatabase db, List<SecondaryIndexes.Index> indexes) {
        for (SecondaryIndexes.Index index : indexes) {
            db.jdbc.execute("DROP INDEX IF EXISTS " + index.name());
        }
    }

    @Test
    void h2HasNothingToVacuum() {
        ReadModelDatabase h2 = new ReadModelDatabase();

        assertThatCode(() -> new SecondaryIndexes(h2.dataSource).vacuumOnPostgres(ReplayService.BASE_TABLES, "b"))
                .doesNotThrowAnyException();
        assertThatCode(() -> new SecondaryIndexes(h2.dataSource).analyzeOnPostgres(ReplayService.DERIVED_TABLES, "b"))
                .doesNotThrowAnyException();
    }
}
