package com.salespipeline.command.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import com.salespipeline.command.pipeline.RecentContacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * History and tamper evidence against a real database: each way of tampering with stored rows is
 * detected and named by sequence; an untouched history verifies intact. Run on H2 and PostgreSQL.
 */
abstract class HistoryAndTamperingScenarios {

    static final String SERVICE = "service-dev-key";
    static final String AUDITOR = "auditor-dev-key";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RecentContacts loadedContacts;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport("http://localhost:" + port);
    }

    /** A contact with five events: captured, engaged, refused qualify (not stored), qualified, converted, won. */
    String contactWithHistory() {
        String id = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"WEBINAR\",\"occurredAt\":\"2026-01-05T10:00:00Z\"}",
                Map.of("X-Correlation-Id", "audit-1")).json().get("contactId").asText();
        http.post("/api/contacts/" + id + "/convert", SERVICE, "{\"opportunityName\":\"x\",\"amount\":\"1\",\"currency\":\"EUR\"}");
        http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\",\"note\":\"first call\"}");
        http.post("/api/contacts/" + id + "/qualify", SERVICE, "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
        http.post("/api/contacts/" + id + "/disqualify", SERVICE, "{\"reason\":\"NO_NEED\",\"note\":\"went in-house\"}");
        return id;
    }

    ChainVerification verify(String id) {
        JsonNode json = http.get("/api/contacts/" + id + "/history/verify", AUDITOR).json();
        return new ChainVerification(UUID.fromString(json.get("contactId").asText()), json.get("events").asInt(),
                json.get("intact").asBoolean(), json.get("firstBrokenSequence").isNull() ? null
                : json.get("firstBrokenSequence").asLong(), json.path("problem").asText(null));
    }

    /**
     * A command committed between the read of the events and the read of the chain head is no tampering: verify
     * said "events up to sequence 19 were stored, but the history ends at 18" for a fifth of the verifications that
     * raced a command (helper-43).
     */
    @Test
    void aCommandCommittedWhileTheHistoryIsReadIsNoTampering() {
        String id = contactWithHistory();
        boolean[] appended = {false};
        StoredEvents appendingMeanwhile = new StoredEvents(jdbc) {
            @Override
            public List<EventChain.StoredEvent> of(UUID contactId) {
                List<EventChain.StoredEvent> events = super.of(contactId);
                if (!appended[0]) {
                    appended[0] = true;
                    assertThat(http.post("/api/contacts/" + id + "/recycle", SERVICE, "{\"reason\":\"came back\"}")
                            .status()).isEqualTo(200);
                }
                return events;
            }
        };

        ChainVerification verification = new HistoryReader(appendingMeanwhile).verify(UUID.fromString(id)).orElseThrow();

        assertThat(appended[0]).isTrue();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.events()).isEqualTo(4);
        assertThat(verify(id).intact()).isTrue();
        assertThat(verify(id).events()).isEqualTo(5);
    }

    @Test
    void historyListsEveryStoredEventWithWhoWhenAndWhyButNoRefusal() {
        String id = contactWithHistory();

        Reply reply = http.get("/api/contacts/" + id + "/history", AUDITOR);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode events = reply.json().get("events");
        assertThat(reply.json().get("contactId").asText()).isEqualTo(id);
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("LeadCaptured", "EngagementRecorded", "LeadQualified", "LeadDisqualified");
        JsonNode first = events.get(0);
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(first.get("occurredAt").asText()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(first.get("recordedAt").asText()).isNotBlank();
        assertThat(first.get("fromStage").isNull()).isTrue();
        assertThat(first.get("toStage").asText()).isEqualTo("LEAD");
        assertThat(first.get("actor").asText()).isEqualTo("dev-service");
        assertThat(first.get("correlationId").asText()).isEqualTo("audit-1");
        assertThat(first.get("payload").get("source").asText()).isEqualTo("WEBINAR");
        JsonNode last = events.get(3);
        assertThat(last.get("fromStage").asText()).isEqualTo("PROSPECT");
        assertThat(last.get("toStage").asText()).isEqualTo("DISQUALIFIED");
        assertThat(last.get("reason").asText()).isEqualTo("NO_NEED: went in-house");
        assertThat(events.get(1).get("reason").asText()).isEqualTo("first call");
        // stored with time-ordered identifiers (TimeOrderedIdentifierFactory), made when the event was recorded
        events.forEach(e -> {
            UUID eventId = UUID.fromString(e.get("eventId").asText());
            assertThat(eventId.version()).isEqualTo(7);
            assertThat(eventId.getMostSignificantBits() >>> 16).isCloseTo(
                    Instant.parse(e.get("recordedAt").asText()).toEpochMilli(), offset(1_000L));
        });
    }

    @Test
    void historyIsAlsoCsv() {
        String id = contactWithHistory();

        Reply csv = http.get("/api/contacts/" + id + "/history", AUDITOR, Map.of("Accept", "text/csv"));

        assertThat(csv.status()).isEqualTo(200);
        // named, as the reports' CSV names it: a client would otherwise read a name such as "Zoë" as US-ASCII
        assertThat(csv.header("Content-Type")).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        List<String> lines = csv.text().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("sequence,eventId,type,revision,occurredAt,recordedAt,fromStage,toStage,actor");
        assertThat(lines.get(1)).startsWith("0,").contains(",LeadCaptured,2,2026-01-05T10:00:00Z,", ",dev-service,audit-1,");
    }

    /** As the reports negotiate: text/* is CSV, JSON wins a tie whatever the order, refused types are refused. */
    @Test
    void historyIsCsvOnlyForAClientThatPrefersIt() {
        String id = contactWithHistory();

        assertThat(historyType(id, "text/csv, application/json")).startsWith("application/json");
        assertThat(historyType(id, "text/*")).startsWith("text/csv");
        assertThat(historyType(id, "application/json;q=0.5, text/csv")).startsWith("text/csv");
        assertThat(historyType(id, "*/*")).startsWith("application/json");
        Reply refused = http.get("/api/contacts/" + id + "/history", AUDITOR,
                Map.of("Accept", "application/json;q=0, text/csv;q=0"));
        assertThat(refused.status()).isEqualTo(406);
    }

    private String historyType(String id, String accept) {
        Reply reply = http.get("/api/contacts/" + id + "/history", AUDITOR, Map.of("Accept", accept));
        assertThat(reply.status()).as(accept).isEqualTo(200);
        return reply.header("Content-Type");
    }

    @Test
    void onlyAuditorsAndAdminsReadHistoryAndUnknownContactsAre404() {
        String id = contactWithHistory();

        assertThat(http.get("/api/contacts/" + id + "/history", "admin-dev-key").status()).isEqualTo(200);
        assertThat(http.get("/api/contacts/" + id + "/history", "analyst-dev-key").status()).isEqualTo(403);
        assertThat(http.get("/api/contacts/" + id + "/history/verify", SERVICE).status()).isEqualTo(403);
        assertThat(http.get("/api/contacts/" + id + "/history", null).status()).isEqualTo(401);
        assertThat(http.get("/api/contacts/" + UUID.randomUUID() + "/history", AUDITOR).status()).isEqualTo(404);
        assertThat(http.get("/api/contacts/" + UUID.randomUUID() + "/history/verify", AUDITOR).status()).isEqualTo(404);
        assertThat(http.get("/api/contacts/nope/history", AUDITOR).status()).isEqualTo(404);
    }

    @Test
    void anUntouchedHistoryIsIntact() {
        String id = contactWithHistory();

        ChainVerification result = verify(id);

        assertThat(result.intact()).isTrue();
        assertThat(result.events()).isEqualTo(4);
        assertThat(result.firstBrokenSequence()).isNull();
    }

    @Test
    void reorderingTheJsonKeysOfAStoredPayloadChangesNothing() throws Exception {
        String id = contactWithHistory();
        String payload = storedPayload(id, 2);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode original = (ObjectNode) mapper.readTree(payload);
        List<String> names = new ArrayList<>();
        original.fieldNames().forEachRemaining(names::add);
        Collections.reverse(names);
        ObjectNode reversed = mapper.createObjectNode();
        names.forEach(name -> reversed.set(name, original.get(name)));
        jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 2",
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(reversed), id);

        assertThat(verify(id).intact()).isTrue();
    }

    @Test
    void aChangedPayloadIsDetectedAtItsSequence() {
        String id = contactWithHistory();
        jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 1",
                storedPayload(id, 1).replace("CALL_HELD", "DEMO_HELD"), id);

        ChainVerification result = verify(id);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(1);
    }

    @Test
    void changedMetadataIsDetectedAtItsSequence() {
        String id = contactWithHistory();
        String metaData = jdbc.queryForObject("SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND sequence_number = 2", String.class, id);
        jdbc.update("UPDATE domain_event_entry SET meta_data = ? WHERE aggregate_identifier = ? AND sequence_number = 2",
                metaData.replace("dev-service", "someone-else"), id);

        ChainVerification result = verify(id);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(2);
    }

    @Test
    void aChangedRecordedTimeIsDetected() {
        String id = contactWithHistory();
        jdbc.update("UPDATE domain_event_entry SET time_stamp = '2020-01-01T00:00:00.000Z' WHERE aggregate_identifier = ?"
                + " AND sequence_number = 3", id);

        assertThat(verify(id).firstBrokenSequence()).isEqualTo(3);
    }

    @Test
    void aDeletedEventIsDetectedWhereItIsMissing() {
        String id = contactWithHistory();
        jdbc.update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1", id);

        ChainVerification result = verify(id);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(1);
    }

    @Test
    void deletingTheLatestEventIsDetectedToo() {
        String id = contactWithHistory();
        jdbc.update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 3", id);

        ChainVerification result = verify(id);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(3);
    }

    /**
     * The contact loaded again from what is left (as after a restart) must not chain a new event onto it: the head
     * would be moved over the evidence and the history verify intact.
     */
    @Test
    void aCommandOnAHistoryCutOffIsRefusedAndTheCutStaysDetected() {
        String id = contactWithHistory();
        jdbc.update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 3", id);
        loadedContacts.removeAll();
        long stored = storedEvents(id);

        Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"PAGE_VIEWED\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("type").asText()).endsWith("history-broken");
        assertThat(reply.json().get("firstBrokenSequence").asLong()).isEqualTo(3);
        assertThat(storedEvents(id)).as("nothing stored").isEqualTo(stored);
        ChainVerification result = verify(id);
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(3);
    }

    @Test
    void aCommandOnAContactStillLoadedWhoseLatestEventWasDeletedIsRefused() {
        String id = contactWithHistory();
        jdbc.update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 3", id);

        Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"PAGE_VIEWED\"}");

        assertThat(reply.status()).as(reply.text()).isEqualTo(409);
        assertThat(reply.json().get("firstBrokenSequence").asLong()).isEqualTo(3);
        assertThat(verify(id).firstBrokenSequence()).isEqualTo(3);
    }

    @Test
    void aCommandAfterTheChainHeadsHashWasChangedIsRefused() {
        String id = contactWithHistory();
        jdbc.update("UPDATE event_chain_head SET hash = ? WHERE aggregate_identifier = ?", "a".repeat(64), id);

        Reply reply = http.post("/api/contacts/" + id + "/recycle", SERVICE, "{\"reason\":\"new budget\"}");

        assertThat(reply.status()).as(reply.text()).isEqualTo(409);
        assertThat(reply.json().get("type").asText()).endsWith("history-broken");
        assertThat(verify(id).intact()).isFalse();
    }

    @Test
    void aCommandOnAContactWhoseChainHeadWasRemovedIsRefused() {
        String id = contactWithHistory();
        jdbc.update("DELETE FROM event_chain_head WHERE aggregate_identifier = ?", id);
        loadedContacts.removeAll();

        Reply reply = http.post("/api/contacts/" + id + "/recycle", SERVICE, "{\"reason\":\"new budget\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("type").asText()).endsWith("history-broken");
        assertThat(verify(id).intact()).isFalse();
    }

    /** Loading the contact fails on the altered event itself; the refusal names what verification names. */
    @Test
    void aCommandOnAContactWhoseEventLostItsMetadataIsRefusedWhereVerificationBreaks() {
        String id = contactWithHistory();
        jdbc.update("UPDATE domain_event_entry SET meta_data = NULL WHERE aggregate_identifier = ?"
                + " AND sequence_number = 1", id);
        loadedContacts.removeAll();

        assertRefusedAsBroken(id, 1);
    }

    @Test
    void aCommandOnAContactWhosePayloadNoLongerReadsIsRefusedWhereVerificationBreaks() {
        String id = contactWithHistory();
        String payload = storedPayload(id, 2);
        jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 2",
                payload.substring(0, payload.length() / 2), id);
        loadedContacts.removeAll();

        assertRefusedAsBroken(id, 2);
    }

    private void assertRefusedAsBroken(String id, long brokenSequence) {
        long stored = storedEvents(id);

        Reply reply = http.post("/api/contacts/" + id + "/recycle", SERVICE, "{\"reason\":\"new budget\"}");

        assertThat(reply.status()).as(reply.text()).isEqualTo(409);
        assertThat(reply.json().get("type").asText()).endsWith("history-broken");
        assertThat(reply.json().get("firstBrokenSequence").asLong()).isEqualTo(brokenSequence);
        assertThat(verify(id).firstBrokenSequence()).isEqualTo(brokenSequence);
        assertThat(storedEvents(id)).as("nothing stored").isEqualTo(stored);
    }

    @Test
    void reorderedEventsAreDetected() {
        String id = contactWithHistory();
        jdbc.update("UPDATE domain_event_entry SET sequence_number = -1 WHERE aggregate_identifier = ? AND sequence_number = 1", id);
        jdbc.update("UPDATE domain_event_entry SET sequence_number = 1 WHERE aggregate_identifier = ? AND sequence_number = 2", id);
        jdbc.update("UPDATE domain_event_entry SET sequence_number = 2 WHERE aggregate_identifier = ? AND sequence_number = -1", id);

        ChainVerification result = verify(id);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSequence()).isEqualTo(1);
    }

    @Test
    void aContactContinuesItsChainAfterVerification() {
        String id = contactWithHistory();
        http.post("/api/contacts/" + id + "/recycle", SERVICE, "{\"reason\":\"new budget\"}");

        ChainVerification result = verify(id);

        assertThat(result.intact()).isTrue();
        assertThat(result.events()).isEqualTo(5);
    }

    long storedEvents(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                id);
    }

    String storedPayload(String id, long sequence) {
        return jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND sequence_number = ?", String.class, id, sequence);
    }
}
