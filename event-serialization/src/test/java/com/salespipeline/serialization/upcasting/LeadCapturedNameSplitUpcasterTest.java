package com.salespipeline.serialization.upcasting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.serialization.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stored revision 1 JSON of LeadCaptured, read through the upcaster chain as Axon reads the event store. */
class LeadCapturedNameSplitUpcasterTest {

    private final Serializer serializer = EventJson.serializer();
    private final EventUpcasterChain chain = new EventUpcasterChain(new LeadCapturedNameSplitUpcaster());

    @Test
    void theStoredRevision1JsonReadsAsRevision2() throws IOException {
        String stored = fixture("/contract/v1/LeadCaptured.json");

        IntermediateEventRepresentation upcast = upcast(stored, "1");
        LeadCaptured event = serializer.deserialize(upcast.getData());

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat(event).isEqualTo(new LeadCaptured(UUID.fromString("7b1e6a52-0c1d-4f6e-9a51-3f1f0a1c2d01"),
                "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000", "Analytical Engines", "CTO",
                LeadSource.WEB_FORM, "spring-launch", "sam", null, Stage.LEAD, Instant.parse("2026-03-01T09:30:00Z")));
        assertThat(event.name()).isEqualTo("Ada Lovelace");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "Ada Lovelace|Ada|Lovelace",
            "Cher|Cher|null",
            "Ludwig van Beethoven|Ludwig van|Beethoven",
            "'  Grace   Brewster  Hopper '|Grace Brewster|Hopper"})
    void namesSplitAtTheLastSpace(String name, String given, String family) {
        String stored = "{\"contactId\":\"" + UUID.randomUUID() + "\",\"name\":\"" + name + "\",\"email\":\"x@example.com\","
                + "\"source\":\"AD\",\"fromStage\":null,\"toStage\":\"LEAD\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";

        LeadCaptured event = serializer.deserialize(upcast(stored, "1").getData());

        assertThat(event.givenName()).isEqualTo(given);
        assertThat(event.familyName()).isEqualTo(family);
    }

    @Test
    void revision2IsLeftAsItIs() throws IOException {
        String stored = fixture("/contract/LeadCaptured.json");

        IntermediateEventRepresentation untouched = upcast(stored, "2");

        assertThat(untouched.getType().getRevision()).isEqualTo("2");
        assertThat(new ObjectMapper().readTree(untouched.getData(String.class).getData()))
                .isEqualTo(new ObjectMapper().readTree(stored));
    }

    private IntermediateEventRepresentation upcast(String payload, String revision) {
        GenericDomainEventEntry<String> entry = new GenericDomainEventEntry<>("Contact", UUID.randomUUID().toString(), 0,
                UUID.randomUUID().toString(), Instant.parse("2026-01-01T00:00:00Z"), LeadCaptured.class.getName(),
                revision, payload, "{}");
        List<IntermediateEventRepresentation> result = chain.upcast(
                Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        assertThat(result).hasSize(1);
        return result.get(0);
    }

    private String fixture(String path) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
