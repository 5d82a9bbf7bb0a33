package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.replay.EventStoreBulkLoad;
import com.salespipeline.query.replay.GenerationRoutingDataSource;
import com.salespipeline.query.replay.ReadModelGenerations;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk phase of a replay on PostgreSQL, where the base rows are copied frozen in one transaction: every contact
 * arrives, the pages are all-visible once the load is done, and a batch whose rows the server refuses fails the load
 * with none of its base rows left.
 */
class BulkReplayOnPostgresTest {

    private static EmbeddedPostgres postgres;
    private final Serializer serializer = EventJson.serializer();

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
                store(connection, contact, null);
            }
        }
        AtomicLong applied = new AtomicLong();

        bulkLoad(db).load("b", applied::addAndGet, FoldedRebuild.NONE);

        assertThat(applied).hasValue(500);
        assertThat(jdbc.queryForList("SELECT contact_id FROM read_contact_b", UUID.class))
                .containsExactlyInAnyOrderElementsOf(contacts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class))
                .as("the serving generation untouched").isZero();
        Map<String, Object> pages = jdbc.queryForMap(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'read_stage_visit_b'");
        assertThat((Integer) pages.get("relpages")).isPositive();
        assertThat(pages.get("relallvisible")).as("all-visible without a vacuum").isEqualTo(pages.get("relpages"));
    }

    @Test
    void aBatchTheServerRefusesFailsTheLoadAndLeavesNoBaseRow() throws Exception {
        DataSource db = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        try (Connection connection = db.getConnection()) {
            for (int i = 0; i < 6; i++) {
                // the fourth stored contact's company is longer than read_contact's column takes
                store(connection, UUID.randomUUID(), i == 3 ? "x".repeat(300) : null);
            }
        }

        assertThatThrownBy(() -> bulkLoad(db).load("b", applied -> { }, FoldedRebuild.NONE))
                .hasStackTraceContaining("value too long");

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

    /** A bulk load of one contact per batch into the generation it is given. */
    private EventStoreBulkLoad bulkLoad(DataSource db) {
        ReadModelGenerations generations = new ReadModelGenerations(new JdbcTemplate(db));
        JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db, generations));
        return new EventStoreBulkLoad(db, EventStoreConfiguration.EVENT_SCHEMA, serializer,
                new EventUpcasterChain(new LeadCapturedNameSplitUpcaster()), generations, routed,
                new TransactionTemplate(new JdbcTransactionManager(db)), 1, 1, 10, 10_000);
    }

    private void store(Connection connection, UUID contact, String company) throws Exception {
        LeadCaptured event = new LeadCaptured(contact, "Ada", "Lovelace", contact + "@example.com", null, company, null,
                LeadSource.WEB_FORM, "bulk", "sam", null, Stage.LEAD, Instant.now());
        SerializedObject<String> payload = serializer.serialize(event, String.class);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO domain_event_entry (event_identifier,"
                + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                + " meta_data) VALUES (?, ?, 0, 'Contact', ?, ?, ?, ?, '{}')")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, contact.toString());
            insert.setString(3, Instant.now().toString());
            insert.setString(4, payload.getType().getName());
            insert.setString(5, payload.getType().getRevision());
            insert.setString(6, payload.getData());
            insert.executeUpdate();
        }
    }
}
