package com.salespipeline.command.audit;

import static org.axonframework.common.DateTimeUtils.formatInstant;

import com.salespipeline.command.store.AuditMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Axon's JDBC event store with a per-contact hash chain: before events are written, each gets a
 * {@code hash} in its metadata over its own content and the previous event's hash (see {@link EventChain}),
 * and the contact's chain head is moved, all in the transaction that stores the events.
 * Events stored without an actor are marked as the system's own.
 */
public class ChainedEventStorageEngine extends JdbcEventStorageEngine {

    /** The actor of events that no authenticated caller asked for. */
    public static final String SYSTEM_ACTOR = "system";

    private final JdbcTemplate jdbc;
    private final Serializer eventSerializer;

    public ChainedEventStorageEngine(JdbcEventStorageEngine.Builder builder, Serializer eventSerializer,
                                     JdbcTemplate jdbc) {
        super(builder);
        this.eventSerializer = eventSerializer;
        this.jdbc = jdbc;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        Map<String, Link> heads = new HashMap<>();
        List<EventMessage<?>> chained = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            chained.add(event instanceof DomainEventMessage<?> domainEvent ? link(domainEvent, heads) : event);
        }
        super.appendEvents(chained, serializer);
        heads.forEach(this::moveHead);
    }

    private DomainEventMessage<?> link(DomainEventMessage<?> event, Map<String, Link> heads) {
        DomainEventMessage<?> withActor = event.getMetaData().containsKey(AuditMetaData.ACTOR) ? event
                : event.andMetaData(MetaData.with(AuditMetaData.ACTOR, SYSTEM_ACTOR));
        String aggregate = withActor.getAggregateIdentifier();
        long sequence = withActor.getSequenceNumber();
        String previous = previousHash(aggregate, sequence, heads.get(aggregate));
        SerializedObject<String> payload = withActor.serializePayload(eventSerializer, String.class);
        SerializedObject<String> metaData = withActor.serializeMetaData(eventSerializer, String.class);
        String hash = EventChain.hash(previous, new EventChain.StoredEvent(withActor.getIdentifier(), aggregate,
                sequence, formatInstant(withActor.getTimestamp()), payload.getType().getName(),
                payload.getType().getRevision(), payload.getData(), metaData.getData()));
        heads.put(aggregate, new Link(sequence, hash));
        return withActor.andMetaData(MetaData.with(EventChain.HASH, hash));
    }

    private String previousHash(String aggregate, long sequence, Link inThisAppend) {
        if (sequence == 0) {
            return EventChain.GENESIS;
        }
        if (inThisAppend != null && inThisAppend.sequence() == sequence - 1) {
            return inThisAppend.hash();
        }
        List<String> head = jdbc.queryForList("SELECT hash FROM event_chain_head WHERE aggregate_identifier = ?"
                + " AND sequence_number = ?", String.class, aggregate, sequence - 1);
        if (!head.isEmpty()) {
            return head.get(0);
        }
        // the head moved on or is missing: chain onto the stored predecessor as it is
        List<String> stored = jdbc.queryForList("SELECT meta_data FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = ?", String.class, aggregate, sequence - 1);
        String hash = stored.isEmpty() ? null : EventChain.storedHash(stored.get(0));
        return hash == null ? EventChain.GENESIS : hash;
    }

    private void moveHead(String aggregate, Link link) {
        // a new contact has no head yet: one statement instead of an update that finds nothing
        int updated = link.sequence() == 0 ? 0 : jdbc.update("UPDATE event_chain_head SET sequence_number = ?, hash = ? WHERE aggregate_identifier = ?",
                link.sequence(), link.hash(), aggregate);
        if (updated == 0) {
            jdbc.update("INSERT INTO event_chain_head (aggregate_identifier, sequence_number, hash) VALUES (?, ?, ?)",
                    aggregate, link.sequence(), link.hash());
        }
    }

    private record Link(long sequence, String hash) {
    }
}
