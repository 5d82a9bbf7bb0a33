package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.events.LeadSource;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A PostgreSQL bulk load's base rows, written frozen, one COPY per table: after an ANALYZE alone, every page that
 * holds rows is all-visible (what the reports' index-only scans need, and what a VACUUM gave before), and a load that
 * fails leaves none of them.
 */
class FrozenBaseRowsTest {

    private final ReadModelDatabase db = Postgres.readModel();
    private final ReadModelGenerations generations = new ReadModelGenerations(db.jdbc);
    private final ReadModelBulkWriter writer = new ReadModelBulkWriter(100, 2_000, generations::route);

    /** So many inserted rows would call the autovacuum, which could mark the pages all-visible before a check. */
    @BeforeEach
    void noAutovacuum() {
        ReplayService.BASE_TABLES.forEach(table -> db.jdbc.execute("ALTER TABLE " + table
                + "_b SET (autovacuum_enabled = false)"));
    }

    /** Emptied without dead rows, which a later test's VACUUM could not clear while their commit is not on disk. */
    @AfterEach
    void emptyGenerationB() {
        ReplayService.BASE_TABLES.forEach(table -> {
            db.jdbc.execute("TRUNCATE TABLE " + table + "_b");
            db.jdbc.execute("ALTER TABLE " + table + "_b RESET (autovacuum_enabled)");
        });
    }

    /**
     * Every page that holds rows is all-visible after an ANALYZE alone. The load's batches go into one COPY per
     * table: from PostgreSQL 16 on, a COPY per batch could leave empty pages behind each (never all-visible), at
     * 100,000 contacts a fifth of the base tables' pages (docs/benchmarks.md, session 50); one COPY leaves a few at
     * the table's end only.
     */
    @Test
    void frozenCopiesAreAllVisibleAfterAnAnalyzeAlone() throws Exception {
        try (FrozenBaseRows frozen = FrozenBaseRows.begin(db.dataSource, writer, "b")) {
            for (int batch = 0; batch < 3; batch++) {
                frozen.write(contacts(batch * 2_000, 2_000));
            }
            frozen.commit();
            assertThat(frozen.spareVacuum()).isTrue();
        }
        new SecondaryIndexes(db.dataSource).analyzeOnPostgres(ReplayService.BASE_TABLES, "b");

        for (String table : List.of("read_contact_b", "read_stage_visit_b", "read_owner_period_b")) {
            Map<String, Object> pages = pages(table);
            long holdingRows = db.jdbc.queryForObject("SELECT COUNT(DISTINCT (ctid::text::point)[0]) FROM " + table,
                    Long.class);
            assertThat(holdingRows).as(table).isPositive();
            assertThat(((Integer) pages.get("relallvisible")).longValue()).as(table + ": pages holding rows all-visible")
                    .isEqualTo(holdingRows);
            assertThat((Integer) pages.get("relpages") - holdingRows).as(table + ": empty pages").isLessThan(64);
        }
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact_b", Long.class)).isEqualTo(6_000);
    }

    /** The contrast that makes the test above mean something: the same rows copied as before are not all-visible. */
    @Test
    void copiesThatAreNotFrozenNeedAVacuum() throws Exception {
        JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db.dataSource, generations));
        List<ContactRows> contacts = contacts(0, 3_000);
        new TransactionTemplate(db.transactions).executeWithoutResult(tx -> generations.on("b", () ->
                routed.execute((ConnectionCallback<Void>) connection -> {
                    writer.write(connection, contacts);
                    return null;
                })));
        new SecondaryIndexes(db.dataSource).analyzeOnPostgres(ReplayService.BASE_TABLES, "b");

        Map<String, Object> pages = pages("read_contact_b");
        assertThat((Integer) pages.get("relpages")).isPositive();
        assertThat((Integer) pages.get("relallvisible")).as("no page all-visible without a vacuum").isZero();
    }

    @Test
    void aLoadThatFailsLeavesNoneOfItsRows() throws Exception {
        List<ContactRows> first = contacts(0, 500);
        try (FrozenBaseRows frozen = FrozenBaseRows.begin(db.dataSource, writer, "b")) {
            frozen.write(first);
            // the same contacts again break read_contact's primary key: the server says so at a later batch or at
            // the commit, whichever comes first
            assertThatThrownBy(() -> {
                frozen.write(first);
                frozen.commit();
            }).isInstanceOf(SQLException.class);
        }
        for (String table : ReplayService.BASE_TABLES) {
            assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM " + table + "_b", Long.class))
                    .as(table + "_b after the failed load").isZero();
        }
    }

    /**
     * With the server gone, a pool's close of a connection can throw after taking it back (HikariCP does): the other
     * connections must still be closed. A load that failed so kept three of its four for good (helper-41: three failed
     * replays during a PostgreSQL outage left the app's pool empty).
     */
    @Test
    void everyConnectionIsClosedEvenWhenClosingOneFails() throws Exception {
        List<Connection> opened = new ArrayList<>();
        List<Connection> closed = new ArrayList<>();
        DataSource failingFirstClose = new DelegatingDataSource(db.dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                opened.add(connection);
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("close")) {
                                connection.close();
                                closed.add(connection);
                                if (closed.size() == 1) {
                                    throw new SQLException("An I/O error occurred while sending to the backend");
                                }
                                return null;
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
        try {
            FrozenBaseRows frozen = FrozenBaseRows.begin(failingFirstClose, writer, "b");
            frozen.write(contacts(0, 10));

            assertThatThrownBy(frozen::close).hasMessageContaining("I/O error");

            assertThat(closed).hasSize(ReplayService.BASE_TABLES.size());
        } finally {
            // a connection left open holds its table's TRUNCATE lock: the tables below could not be read
            for (Connection connection : opened) {
                connection.close();
            }
        }
        for (String table : ReplayService.BASE_TABLES) {
            assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM " + table + "_b", Long.class))
                    .as(table + "_b after the load closed uncommitted").isZero();
        }
    }

    @Test
    void theLoadEmptiesTheBaseTablesOfItsGenerationOnly() throws Exception {
        try (FrozenBaseRows frozen = FrozenBaseRows.begin(db.dataSource, writer, "b")) {
            frozen.write(contacts(0, 10));
            frozen.commit();
        }
        long servingBefore = db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class);
        try (FrozenBaseRows frozen = FrozenBaseRows.begin(db.dataSource, writer, "b")) {
            frozen.write(contacts(10, 5));
            frozen.commit();
        }
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact_b", Long.class))
                .as("the earlier load's rows emptied").isEqualTo(5);
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class))
                .as("generation a untouched").isEqualTo(servingBefore);
    }

    private Map<String, Object> pages(String table) {
        return db.jdbc.queryForMap("SELECT relpages, relallvisible FROM pg_class WHERE relname = ?", table);
    }

    /** {@code count} contacts from number {@code first} on, each captured and qualified as a marketing lead. */
    private static List<ContactRows> contacts(int first, int count) {
        Instant at = Instant.parse("2025-03-01T09:00:00Z");
        List<ContactRows> contacts = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            LifecycleFold fold = new LifecycleFold();
            ContactHistory.capture(new UUID(0, i), at.plusSeconds(i), "Ada", "ada" + i + "@example.com", "Acme",
                    LeadSource.WEB_FORM, "spring", "sam").mql(at.plusSeconds(3_600 + i))
                    .events().forEach(e -> fold.apply(e.event(), e.sequence()));
            contacts.add(fold.rows());
        }
        return contacts;
    }
}
