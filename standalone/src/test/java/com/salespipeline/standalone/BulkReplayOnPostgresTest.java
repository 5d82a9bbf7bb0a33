package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bulk phase of a replay on PostgreSQL, where the base rows are copied frozen in one transaction: every contact
 * arrives, the pages holding rows are all-visible once the load is done, and a row the server refuses fails the load
 * with none of its base rows left.
 */
class BulkReplayOnPostgresTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void everyContactIsCopiedAndItsPagesAreAllVisible() throws Exception {
        DataSource db = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        List<UUID> contacts = new ArrayList<>();
        try (Connection connection = db.getConnection()) {
            for (int i = 0; i < 500; i++) {
                UUID contact = UUID.randomUUID();
                contacts.add(contact);
                StoredCaptures.store(connection, contact, null, "bulk");
            }
        }
        AtomicLong applied = new AtomicLong();

        StoredCaptures.bulkLoad(db).load("b", applied::addAndGet, FoldedRebuild.NONE);

        assertThat(applied).hasValue(500);
        assertThat(jdbc.queryForList("SELECT contact_id FROM read_contact_b", UUID.class))
                .containsExactlyInAnyOrderElementsOf(contacts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class))
                .as("the serving generation untouched").isZero();
        Map<String, Object> pages = jdbc.queryForMap(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'read_stage_visit_b'");
        long holdingRows = jdbc.queryForObject("SELECT COUNT(DISTINCT (ctid::text::point)[0]) FROM read_stage_visit_b",
                Long.class);
        assertThat(holdingRows).isPositive();
        // empty pages that PostgreSQL 16 leaves at the end of a COPY are not all-visible; index-only scans never read them
        assertThat(((Integer) pages.get("relallvisible")).longValue()).as("all-visible without a vacuum")
                .isEqualTo(holdingRows);
    }

    /**
     * Commands refuse U+0000 now; an event stored before with one in a text must not stop the replay (PostgreSQL
     * cannot store the character): it reads as U+FFFD.
     */
    @Test
    void anEventStoredWithANulCharacterIsReplayedWithTheReplacementCharacter() throws Exception {
        DataSource db = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        UUID contact = UUID.randomUUID();
        try (Connection connection = db.getConnection()) {
            StoredCaptures.store(connection, contact, "Acme\u0000Corp", "spring\u0000");
        }
        AtomicLong applied = new AtomicLong();

        StoredCaptures.bulkLoad(db).load("b", applied::addAndGet, FoldedRebuild.NONE);

        assertThat(applied).hasValue(1);
        assertThat(jdbc.queryForMap("SELECT company, campaign FROM read_contact_b WHERE contact_id = ?", contact))
                .containsEntry("company", "Acme\uFFFDCorp").containsEntry("campaign", "spring\uFFFD");
    }

    @Test
    void anEventWithoutMetadataFailsTheLoadNamingIt() throws Exception {
        DataSource db = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        List<UUID> contacts = Stream.generate(UUID::randomUUID).limit(3)
                .sorted(Comparator.comparing(UUID::toString)).toList();
        try (Connection connection = db.getConnection()) {
            for (UUID contact : contacts) {
                StoredCaptures.store(connection, contact, null, "bulk");
            }
        }
        String broken = jdbc.queryForObject("SELECT event_identifier FROM domain_event_entry"
                + " WHERE aggregate_identifier = ?", String.class, contacts.get(1).toString());
        jdbc.update("UPDATE domain_event_entry SET meta_data = NULL WHERE event_identifier = ?", broken);

        assertThatThrownBy(() -> StoredCaptures.bulkLoad(db).load("b", applied -> { }, FoldedRebuild.NONE))
                .hasMessageContaining("after contact " + contacts.get(0) + "'s sequence 0")
                .hasMessageContaining(broken).hasMessageContaining("has no metadata");
    }

    @Test
    void aBatchTheServerRefusesFailsTheLoadAndLeavesNoBaseRow() throws Exception {
        DataSource db = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        // read back in the order of their ids
        List<UUID> contacts = Stream.generate(UUID::randomUUID).limit(6)
                .sorted(Comparator.comparing(UUID::toString)).toList();
        try (Connection connection = db.getConnection()) {
            for (int i = 0; i < contacts.size(); i++) {
                // the fourth contact's company is longer than read_contact's column takes
                StoredCaptures.store(connection, contacts.get(i), i == 3 ? "x".repeat(300) : null, "bulk");
            }
        }

        // the server may refuse the row only as the table's copy ends: the message says what it refused
        assertThatThrownBy(() -> StoredCaptures.bulkLoad(db).load("b", applied -> { }, FoldedRebuild.NONE))
                .hasMessageContaining("could not write the base rows").hasMessageContaining("value too long");

        for (String table : List.of("read_contact_b", "read_stage_visit_b", "read_owner_period_b",
                "read_opportunity_b")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class))
                    .as(table + " after the failed load").isZero();
        }
    }

    private static DataSource migratedDatabase() throws Exception {
        String name = "bulk_" + UUID.randomUUID().toString().replace("-", "");
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + name);
        DataSource db = postgres.getDatabase("postgres", name);
        SchemaMigration.migrate(db, "command");
        SchemaMigration.migrate(db, "query");
        return db;
    }
}
