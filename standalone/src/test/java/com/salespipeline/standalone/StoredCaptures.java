package com.salespipeline.standalone;

import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.replay.EventStoreBulkLoad;
import com.salespipeline.query.replay.GenerationRoutingDataSource;
import com.salespipeline.query.replay.ReadModelGenerations;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Contacts' captures stored straight into the event table, as the bulk replay's tests need them, and the load itself. */
final class StoredCaptures {

    static final Serializer SERIALIZER = EventJson.serializer();

    private StoredCaptures() {
    }

    /** A contact's {@code LeadCaptured}, sequence 0, in the connection's transaction; {@code company} may be null. */
    static void store(Connection connection, UUID contact, String company, String campaign) throws Exception {
        LeadCaptured event = new LeadCaptured(contact, "Ada", "Lovelace", contact + "@example.com", null, company, null,
                LeadSource.WEB_FORM, campaign, "sam", null, Stage.LEAD, Instant.now());
        SerializedObject<String> payload = SERIALIZER.serialize(event, String.class);
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

    /** A bulk load of one contact per batch from the event table of {@code db} into the generation it is given. */
    static EventStoreBulkLoad bulkLoad(DataSource db) {
        return bulkLoad(db, 1, 10);
    }

    /**
     * A bulk load from the event table of {@code db}, {@code contactsPerCommit} contacts per batch, reading
     * {@code fetchSize} events at a time.
     */
    static EventStoreBulkLoad bulkLoad(DataSource db, int contactsPerCommit, int fetchSize) {
        ReadModelGenerations generations = new ReadModelGenerations(new JdbcTemplate(db));
        JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(db, generations));
        return new EventStoreBulkLoad(db, EventStoreConfiguration.EVENT_SCHEMA, SERIALIZER,
                new EventUpcasterChain(new LeadCapturedNameSplitUpcaster()), generations, routed,
                new TransactionTemplate(new JdbcTransactionManager(db)), contactsPerCommit, contactsPerCommit, fetchSize,
                10_000);
    }
}
