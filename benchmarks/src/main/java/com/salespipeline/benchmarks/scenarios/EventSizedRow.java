package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.salespipeline.command.audit.EventChain;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.serialization.EventJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The payload and metadata of a typical stored event (a captured lead), as the event store writes them. */
final class EventSizedRow {

    private EventSizedRow() {
    }

    static String payload() {
        return json(new LeadCaptured(UUID.randomUUID(), "Ada", "Lovelace", "ada.lovelace@example.com", null,
                "Analytical Engines Ltd", "CTO", LeadSource.WEB_FORM, "campaign-3", "rep-7", null, Stage.LEAD,
                Instant.now()));
    }

    static String metaData() {
        Map<String, String> metaData = new LinkedHashMap<>();
        metaData.put("actor", "bench-service");
        metaData.put("correlationId", UUID.randomUUID().toString());
        metaData.put(EventChain.HASH, "0123456789abcdef".repeat(4));
        return json(metaData);
    }

    private static String json(Object value) {
        try {
            return EventJson.objectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
