package com.salespipeline.command.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident chain of one contact's events. Each event's hash is
 * {@code SHA-256(previousHash + "\n" + canonical(event))}, with the first event's previous hash being
 * {@link #GENESIS}. The canonical form is a JSON object with keys sorted at every level and no white
 * space, holding what the store keeps of the event: its id, aggregate id, sequence number, stored
 * timestamp, payload type and revision, payload, and metadata without the {@code hash} key itself.
 * Sorting makes the check independent of JSON key order; nothing else is normalised.
 */
public final class EventChain {

    /** The metadata key holding the event's hash. */
    public static final String HASH = "hash";
    /** The previous hash of a contact's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private EventChain() {
    }

    /** What is hashed of one stored event. */
    public record StoredEvent(String eventIdentifier, String aggregateIdentifier, long sequenceNumber,
                              String timestamp, String payloadType, String payloadRevision, String payload,
                              String metaData) {
    }

    public static String hash(String previousHash, StoredEvent event) {
        return sha256(previousHash + "\n" + canonical(event));
    }

    /** The canonical text of an event, as documented on this class. */
    public static String canonical(StoredEvent event) {
        try {
            Map<String, Object> content = new TreeMap<>();
            content.put("eventIdentifier", event.eventIdentifier());
            content.put("aggregateIdentifier", event.aggregateIdentifier());
            content.put("sequenceNumber", event.sequenceNumber());
            content.put("timestamp", event.timestamp());
            content.put("payloadType", event.payloadType());
            content.put("payloadRevision", event.payloadRevision());
            content.put("payload", CANONICAL.treeToValue(CANONICAL.readTree(event.payload()), Object.class));
            JsonNode metaData = event.metaData() == null ? CANONICAL.createObjectNode() : CANONICAL.readTree(event.metaData());
            if (metaData instanceof ObjectNode object) {
                object.remove(HASH);
            }
            content.put("metaData", CANONICAL.treeToValue(metaData, Object.class));
            return CANONICAL.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            // a stored payload that is no longer JSON is itself a broken link
            return "unreadable:" + event.payload() + "|" + event.metaData();
        }
    }

    /** Reads the hash out of stored metadata JSON, or null when there is none. */
    public static String storedHash(String metaData) {
        try {
            JsonNode hash = metaData == null ? null : CANONICAL.readTree(metaData).get(HASH);
            return hash == null ? null : hash.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
