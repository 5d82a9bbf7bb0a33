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
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Axon's JDBC event store with a per-contact hash chain: before events are written, each gets a
 * {@code hash} in its metadata over its own content and the previous event's hash (see {@link EventChain}),
 * and the contact's chain head is moved, all in the transaction that stores the events. An append that does not
 * follow the head is refused ({@link HistoryBroken}), so a cut-off history stays detectable.
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

    /**
     * The hash the event at {@code sequence} chains onto: the one before it in this append, or the contact's chain
     * head, which must be exactly at {@code sequence - 1} and match the event stored there; events stored without
     * hashes and without a head start a chain of their own. A head that is missing (for a chained history), behind,
     * changed, or ahead with nothing stored at {@code sequence}, or a missing event under it, means the stored history
     * was cut or changed ({@link HistoryBroken}); ahead with an event stored there, another command stored that
     * sequence first.
     */
    private String previousHash(String aggregate, long sequence, Link inThisAppend) {
        if (sequence == 0) {
            return EventChain.GENESIS;
        }
        if (inThisAppend != null && inThisAppend.sequence() == sequence - 1) {
            return inThisAppend.hash();
        }
        // one round trip: the head and the stored event before this one, whose hash the head must hold
        List<StoredHead> heads = jdbc.query("SELECT h.sequence_number, h.hash, e.meta_data, e.event_identifier"
                        + " FROM event_chain_head h LEFT JOIN domain_event_entry e"
                        + " ON e.aggregate_identifier = h.aggregate_identifier AND e.sequence_number = ?"
                        + " WHERE h.aggregate_identifier = ?",
                (rs, row) -> new StoredHead(new Link(rs.getLong(1), rs.getString(2)), rs.getString(4) != null,
                        EventChain.storedHash(rs.getString(3))), sequence - 1, aggregate);
        if (heads.isEmpty()) {
            // events stored without a chain (imported, or from before it) start one; a chained history lost its head
            List<String> stored = jdbc.queryForList("SELECT meta_data FROM domain_event_entry"
                    + " WHERE aggregate_identifier = ? AND sequence_number = ?", String.class, aggregate, sequence - 1);
            if (stored.isEmpty() || EventChain.storedHash(stored.get(0)) != null) {
                throw new HistoryBroken(aggregate, 0, "the contact's chain head is missing");
            }
            return EventChain.GENESIS;
        }
        StoredHead stored = heads.get(0);
        Link head = stored.head();
        if (head.sequence() == sequence - 1) {
            if (!stored.previousStored()) {
                throw new HistoryBroken(aggregate, head.sequence(), "the event at sequence " + head.sequence()
                        + ", the chain head's, is missing");
            }
            if (!head.hash().equals(stored.previousHash())) {
                throw new HistoryBroken(aggregate, head.sequence(), "the chain head does not match the stored event"
                        + " at sequence " + head.sequence());
            }
            return head.hash();
        }
        if (head.sequence() >= sequence && storedAt(aggregate, sequence)) {
            throw new ConcurrencyException("an event with sequence " + sequence + " of contact " + aggregate
                    + " was stored by another command");
        }
        if (head.sequence() >= sequence) {
            throw new HistoryBroken(aggregate, sequence, "events up to sequence " + head.sequence()
                    + " were stored, but the history ends at " + (sequence - 1));
        }
        throw new HistoryBroken(aggregate, head.sequence(), "the chain head is at sequence " + head.sequence()
                + ", but the history goes on to " + (sequence - 1));
    }

    private boolean storedAt(String aggregate, long sequence) {
        return !jdbc.queryForList("SELECT 1 FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?",
                Integer.class, aggregate, sequence).isEmpty();
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

    /** The chain head, and whether the event at its sequence is stored, with the hash that event holds. */
    private record StoredHead(Link head, boolean previousStored, String previousHash) {
    }
}
