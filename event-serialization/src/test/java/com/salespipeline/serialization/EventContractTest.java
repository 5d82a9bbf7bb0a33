package com.salespipeline.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.DisqualificationReason;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the JSON of every event (src/test/resources/contract). A failure here means the stored and
 * published shape of an event changed: that needs a new revision and an upcaster, not a new pin.
 */
class EventContractTest {

    private static final UUID CONTACT = UUID.fromString("7b1e6a52-0c1d-4f6e-9a51-3f1f0a1c2d01");
    private static final UUID OPPORTUNITY = UUID.fromString("0f5b1c2d-9e8a-4b7c-8d6e-5f4a3b2c1d0e");
    private static final Instant AT = Instant.parse("2026-03-01T09:30:00Z");
    private static final Money AMOUNT = new Money(new BigDecimal("12000.00"), "EUR");

    private final ObjectMapper mapper = EventJson.objectMapper();

    static Stream<ContactEvent> samples() {
        return Stream.of(
                new LeadCaptured(CONTACT, "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000", "Analytical Engines",
                        "CTO", LeadSource.WEB_FORM, "spring-launch", "sam", null, Stage.LEAD, AT),
                new EngagementRecorded(CONTACT, EngagementType.EMAIL_REPLIED, true, "asked for pricing", AT),
                new OwnerAssigned(CONTACT, "kim", "sam", AT),
                new LeadMarketingQualified(CONTACT, 72, Stage.LEAD, Stage.MQL, AT),
                new LeadQualified(CONTACT, "50k approved", "VP Engineering", "replace spreadsheets", "Q3",
                        Stage.MQL, Stage.PROSPECT, AT),
                new LeadConverted(CONTACT, OPPORTUNITY, "Website rebuild", AMOUNT, LocalDate.parse("2026-06-30"),
                        "Analytical Engines Ltd", Stage.PROSPECT, Stage.OPPORTUNITY, AT),
                new OpportunityOpened(CONTACT, OPPORTUNITY, "Support plan", AMOUNT, null, null, AT),
                new OpportunityWon(CONTACT, OPPORTUNITY, AMOUNT, false, Stage.OPPORTUNITY, Stage.CUSTOMER, AT),
                new OpportunityLost(CONTACT, OPPORTUNITY, "chose a competitor", false, Stage.OPPORTUNITY,
                        Stage.LOST, AT),
                new LeadDisqualified(CONTACT, DisqualificationReason.NO_BUDGET, "frozen until next year",
                        Stage.MQL, Stage.DISQUALIFIED, AT),
                new ContactRecycled(CONTACT, "budget released", Stage.DISQUALIFIED, Stage.LEAD, AT),
                new CustomerBecameAdvocate(CONTACT, AdvocacyReason.REFERRED, Stage.CUSTOMER, Stage.ADVOCATE, AT));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void serialisesToThePinnedJson(ContactEvent event) throws IOException {
        JsonNode pinned = pinned(event.getClass());

        assertThat(mapper.readTree(mapper.writeValueAsString(event))).isEqualTo(pinned);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void readsThePinnedJsonBackToTheSameEvent(ContactEvent event) throws IOException {
        Object read = mapper.treeToValue(pinned(event.getClass()), event.getClass());

        assertThat(read).isEqualTo(event);
    }

    @Test
    void everyEventCarriesARevisionAndIsPinned() {
        List<Class<? extends ContactEvent>> types = samples().<Class<? extends ContactEvent>>map(ContactEvent::getClass).toList();

        assertThat(types).hasSize(12).doesNotHaveDuplicates();
        assertThat(types).allSatisfy(type -> assertThat(type.getAnnotation(Revision.class)).isNotNull());
    }

    @Test
    void amountsAreDecimalStringsThatKeepTheirScale() throws IOException {
        JsonNode json = mapper.readTree(mapper.writeValueAsString(samples().toList().get(5)));

        assertThat(json.at("/amount/amount").isTextual()).isTrue();
        assertThat(json.at("/amount/amount").asText()).isEqualTo("12000.00");
    }

    /**
     * Commands refuse amounts of more than 26 digits, but an event stored before that may hold one of any length; a
     * reader with Jackson's default limit (1,000 digits) could neither fold such a contact nor project the event.
     */
    @Test
    void anAmountOfAnyLengthThatWasStoredIsReadBack() throws IOException {
        Money huge = new Money(new BigDecimal("9".repeat(5_000) + "." + "0".repeat(2)), "EUR");
        String stored = mapper.writeValueAsString(new OpportunityWon(CONTACT, OPPORTUNITY, huge, false,
                Stage.OPPORTUNITY, Stage.CUSTOMER, AT));

        OpportunityWon read = EventJson.serializer().getObjectMapper().readValue(stored, OpportunityWon.class);

        assertThat(read.amount()).isEqualTo(huge);
    }

    /** Commands refuse NUL, but events stored before hold it, and a PostgreSQL read model cannot. */
    @Test
    void aNulInAStoredTextIsReadAsTheReplacementCharacter() throws IOException {
        String stored = mapper.writeValueAsString(new EngagementRecorded(CONTACT, EngagementType.CALL_HELD, true,
                "first\u0000call", AT));
        assertThat(stored).contains("first\\u0000call");

        EngagementRecorded read = mapper.readValue(stored, EngagementRecorded.class);

        assertThat(read.note()).isEqualTo("first\uFFFDcall");
        assertThat(mapper.readValue("{\"note\":\"plain\"}", EngagementRecorded.class).note()).isEqualTo("plain");
    }

    private JsonNode pinned(Class<?> type) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/contract/" + type.getSimpleName() + ".json")) {
            assertThat(in).as("pinned JSON for %s", type.getSimpleName()).isNotNull();
            return mapper.readTree(in);
        }
    }
}
