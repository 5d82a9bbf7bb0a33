package com.salespipeline.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** One contact's complete stored history, oldest first. */
public record ContactHistory(UUID contactId, List<Entry> events) {

    /** One stored event as an auditor reads it. */
    public record Entry(long sequence, String eventId, String type, int revision, String occurredAt,
                        String recordedAt, String fromStage, String toStage, String actor, String correlationId,
                        String reason, String hash, JsonNode payload) {
    }
}
