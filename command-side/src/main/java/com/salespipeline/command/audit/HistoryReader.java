package com.salespipeline.command.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.salespipeline.command.audit.EventChain.StoredEvent;
import com.salespipeline.command.store.AuditMetaData;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Turns stored rows into the history an auditor reads, and verifies their chain. */
public class HistoryReader {

    private final StoredEvents store;
    private final ObjectMapper json = new ObjectMapper();

    public HistoryReader(StoredEvents store) {
        this.store = store;
    }

    /** The contact's history, or empty when no event of it is stored. */
    public Optional<ContactHistory> history(UUID contactId) {
        List<StoredEvent> events = store.of(contactId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ContactHistory(contactId, events.stream().map(this::entry).toList()));
    }

    /**
     * The events and the chain head are read one after the other, while commands may append to the contact: a head
     * that moved past the events read is checked again with the head as it was before they were read, which they
     * must cover (a command committed in between is no tampering; events cut off are, as the head before says).
     */
    public Optional<ChainVerification> verify(UUID contactId) {
        Optional<StoredEvents.Head> before = store.head(contactId);
        List<StoredEvent> events = store.of(contactId);
        Optional<StoredEvents.Head> after = store.head(contactId);
        if (events.isEmpty() && after.isEmpty()) {
            return Optional.empty();
        }
        ChainVerification verification = ChainVerifier.verify(contactId, events, after);
        long last = events.isEmpty() ? -1 : events.get(events.size() - 1).sequenceNumber();
        if (!verification.intact() && before.isPresent() && after.isPresent() && after.get().sequence() > last
                && before.get().sequence() <= last) {
            return Optional.of(ChainVerifier.verifyCovering(contactId, events, before.get()));
        }
        return Optional.of(verification);
    }

    private ContactHistory.Entry entry(StoredEvent event) {
        JsonNode payload = read(event.payload());
        JsonNode metaData = read(event.metaData());
        String type = event.payloadType().substring(event.payloadType().lastIndexOf('.') + 1);
        int revision = event.payloadRevision() == null ? 0 : Integer.parseInt(event.payloadRevision());
        return new ContactHistory.Entry(event.sequenceNumber(), event.eventIdentifier(), type, revision,
                text(payload, "occurredAt"), event.timestamp(), text(payload, "fromStage"), text(payload, "toStage"),
                text(metaData, AuditMetaData.ACTOR), text(metaData, AuditMetaData.CORRELATION_ID),
                text(metaData, AuditMetaData.REASON), text(metaData, EventChain.HASH), payload);
    }

    private JsonNode read(String text) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            // an auditor must see a damaged row as it is, not an error page
            return TextNode.valueOf(text);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
