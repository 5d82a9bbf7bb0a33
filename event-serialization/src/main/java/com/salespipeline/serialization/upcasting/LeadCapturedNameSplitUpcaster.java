package com.salespipeline.serialization.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.PersonName;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * LeadCaptured revision 1 to 2: the single {@code name} becomes {@code givenName} and {@code familyName},
 * split as {@link PersonName#parse} does for new leads. Stored events are never rewritten; they are
 * upcast each time they are read (aggregates, projections, replays, Kafka publication).
 */
public class LeadCapturedNameSplitUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(LeadCaptured.class.getName(), "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(LeadCaptured.class.getName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, LeadCapturedNameSplitUpcaster::splitName);
    }

    static JsonNode splitName(JsonNode revision1) {
        ObjectNode payload = ((ObjectNode) revision1).deepCopy();
        JsonNode name = payload.remove("name");
        PersonName split = PersonName.parse(name == null || name.isNull() ? null : name.asText());
        payload.put("givenName", split.givenName());
        payload.put("familyName", split.familyName());
        return payload;
    }
}
