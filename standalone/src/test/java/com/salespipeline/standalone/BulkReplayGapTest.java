package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.replay.EventStoreBulkLoad;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hand-over from the bulk phase to the streamed catch-up, on a real event store: an event whose
 * transaction is still open while the bulk phase reads becomes a gap in the token it returns, and Axon's own
 * JDBC engine, streaming from that token, delivers that event and the ones stored after the head, and
 * nothing the bulk phase already applied.
 */
class BulkReplayGapTest {

    private final Serializer serializer = EventJson.serializer();

    @Test
    void anEventStillInFlightDuringTheBulkReadIsAGapThatTheStreamDeliversLater() throws Exception {
        JdbcDataSource h2 = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        UUID before = UUID.randomUUID();
        UUID inFlight = UUID.randomUUID();
        UUID afterInFlight = UUID.randomUUID();
        UUID afterHead = UUID.randomUUID();
        GapAwareTrackingToken token;

        try (Connection open = h2.getConnection(); Connection committed = h2.getConnection()) {
            StoredCaptures.store(committed, before, null, "gap");
            open.setAutoCommit(false);
            StoredCaptures.store(open, inFlight, null, "gap");
            StoredCaptures.store(committed, afterInFlight, null, "gap");

            EventStoreBulkLoad bulk = StoredCaptures.bulkLoad(h2);
            AtomicLong applied = new AtomicLong();
            token = bulk.load("b", applied::addAndGet, FoldedRebuild.NONE);

            assertThat(token.getIndex()).isEqualTo(3);
            assertThat(token.getGaps()).containsExactly(2L);
            assertThat(applied).hasValue(2);
            assertThat(jdbc.queryForList("SELECT contact_id FROM read_contact_b", UUID.class))
                    .containsExactlyInAnyOrder(before, afterInFlight);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class))
                    .as("the serving generation untouched").isZero();

            open.commit();
            StoredCaptures.store(committed, afterHead, null, "gap");
        }

        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(h2::getConnection)
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(new LeadCapturedNameSplitUpcaster()))
                .schema(EventStoreConfiguration.EVENT_SCHEMA)
                .dataType(String.class)
                .build();
        List<UUID> streamed = engine.readEvents(token, false)
                .map(TrackedEventMessage::getPayload)
                .map(payload -> ((LeadCaptured) payload).contactId())
                .toList();
        assertThat(streamed).containsExactly(inFlight, afterHead);
    }

    /**
     * A batch of contacts whose rows cannot be written fails the load, the batches before it stay written and
     * counted, and no batch after it is written.
     */
    @Test
    void aBatchThatCannotBeWrittenFailsTheLoadAndNothingAfterItIsWritten() throws Exception {
        JdbcDataSource h2 = migratedDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        // read back in the order of their ids
        List<UUID> contacts = Stream.generate(UUID::randomUUID).limit(6)
                .sorted(Comparator.comparing(UUID::toString)).toList();
        try (Connection connection = h2.getConnection()) {
            for (UUID contact : contacts) {
                StoredCaptures.store(connection, contact, null, "gap");
            }
        }
        EventStoreBulkLoad bulk = StoredCaptures.bulkLoad(h2);
        bulk.load("b", applied -> { }, FoldedRebuild.NONE);
        // the third contact's rows stay, so writing them again breaks the primary key
        for (String table : List.of("read_contact_b", "read_stage_visit_b", "read_owner_period_b", "read_opportunity_b")) {
            jdbc.update("DELETE FROM " + table + " WHERE contact_id <> ?", contacts.get(2));
        }
        AtomicLong applied = new AtomicLong();

        assertThatThrownBy(() -> bulk.load("b", applied::addAndGet, FoldedRebuild.NONE))
                .hasRootCauseInstanceOf(JdbcSQLIntegrityConstraintViolationException.class);
        assertThat(jdbc.queryForList("SELECT contact_id FROM read_contact_b", UUID.class))
                .containsExactlyInAnyOrder(contacts.get(0), contacts.get(1), contacts.get(2));
        assertThat(applied).as("the events of the batches written").hasValue(2);
    }

    private static JdbcDataSource migratedDatabase() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bulk-load-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        SchemaMigration.migrate(h2, "command");
        SchemaMigration.migrate(h2, "query");
        return h2;
    }
}
