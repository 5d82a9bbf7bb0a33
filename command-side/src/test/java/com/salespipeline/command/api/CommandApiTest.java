package com.salespipeline.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The command section of api.md, driven over real HTTP against the real application on an in-memory
 * H2 store: every status code and problem field, and that a refused request stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:command-api;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class CommandApiTest {

    static final String SERVICE = "service-dev-key";
    static final String QUALIFY = "{\"budget\":\"50k\",\"authority\":\"CTO\",\"need\":\"reporting\",\"timeline\":\"Q3\"}";
    static final String CONVERT = "{\"opportunityName\":\"Website rebuild\",\"amount\":\"12000.00\",\"currency\":\"EUR\"}";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    com.salespipeline.command.pipeline.RecentContacts loadedContacts;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport("http://localhost:" + port);
    }

    String capture() {
        return capture(UUID.randomUUID() + "@example.com");
    }

    String capture(String email) {
        Reply reply = http.post("/api/contacts", SERVICE,
                "{\"name\":\"Ada Lovelace\",\"email\":\"" + email + "\",\"source\":\"WEB_FORM\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }

    /** A captured contact with a two-way engagement, qualified: a PROSPECT. */
    String prospect() {
        String id = capture();
        act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
        act(id, "qualify", QUALIFY);
        return id;
    }

    Reply act(String id, String action, String body) {
        return http.post("/api/contacts/" + id + "/" + action, SERVICE, body);
    }

    long storedEvents() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("detail").asText()).isNotBlank();
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Nested
    class Success {

        @Test
        void captureAnswers201WithLocationVersionAndEtag() {
            String id = UUID.randomUUID().toString();
            Reply reply = http.post("/api/contacts", SERVICE, "{\"contactId\":\"" + id + "\",\"name\":\"Ada\","
                    + "\"email\":\"ada-" + id + "@example.com\",\"phone\":\"+44\",\"company\":\"AE\",\"jobTitle\":\"CTO\","
                    + "\"source\":\"REFERRAL\",\"campaign\":\"spring\",\"owner\":\"sam\",\"occurredAt\":\"2026-01-05T10:00:00Z\"}");

            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.header("Location")).isEqualTo("/api/contacts/" + id);
            assertThat(reply.header("ETag")).isEqualTo("\"0\"");
            assertThat(reply.json().get("contactId").asText()).isEqualTo(id);
            assertThat(reply.json().get("stage").asText()).isEqualTo("LEAD");
            assertThat(reply.json().get("version").asLong()).isZero();
            assertThat(reply.json().has("opportunityId")).isFalse();
        }

        @Test
        void theIdsTheServerChoosesAreVersion7AndSortInTheOrderTheyWereMade() throws InterruptedException {
            long before = System.currentTimeMillis();
            UUID first = UUID.fromString(capture());
            Thread.sleep(2);
            String secondId = prospect();
            UUID second = UUID.fromString(secondId);
            UUID opportunity = UUID.fromString(act(secondId, "convert", CONVERT).json().get("opportunityId").asText());
            long after = System.currentTimeMillis();

            assertThat(List.of(first, second, opportunity)).allSatisfy(id -> {
                assertThat(id.version()).isEqualTo(7);
                assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
            });
            // the text is what the event store's (aggregate, sequence) index compares
            assertThat(second.toString()).isGreaterThan(first.toString());
            assertThat(opportunity.getMostSignificantBits() >>> 16)
                    .isGreaterThanOrEqualTo(second.getMostSignificantBits() >>> 16);
        }

        @Test
        void optionalTextsAreTrimmedAndABlankOneIsNone() throws Exception {
            String id = UUID.randomUUID().toString();
            Reply reply = http.post("/api/contacts", SERVICE, "{\"contactId\":\"" + id + "\",\"name\":\" Ada \","
                    + "\"email\":\" ada-" + id + "@example.com \",\"phone\":\"  \",\"company\":\" AE \","
                    + "\"source\":\"REFERRAL\",\"campaign\":\"\",\"owner\":\" sam \"}");
            assertThat(reply.status()).as(reply.text()).isEqualTo(201);

            JsonNode captured = new com.fasterxml.jackson.databind.ObjectMapper().readTree(jdbc.queryForObject(
                    "SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ?", String.class, id));

            assertThat(captured.path("owner").asText()).isEqualTo("sam");
            assertThat(captured.path("email").asText()).isEqualTo("ada-" + id + "@example.com");
            assertThat(captured.path("givenName").asText()).as(captured.toString()).isEqualTo("Ada");
            assertThat(captured.path("company").asText()).isEqualTo("AE");
            assertThat(captured.path("campaign").isNull() || captured.path("campaign").isMissingNode())
                    .as(captured.toString()).isTrue();
            assertThat(captured.path("phone").isNull() || captured.path("phone").isMissingNode())
                    .as(captured.toString()).isTrue();
        }

        @Test
        void aLeadWalksToAdvocateWithVersionsAndEtags() {
            String id = capture();
            assertThat(act(id, "engagements", "{\"type\":\"EMAIL_REPLIED\",\"note\":\"asked for pricing\"}").json()
                    .get("version").asLong()).isEqualTo(1);
            assertThat(act(id, "assign-owner", "{\"owner\":\"sam\"}").status()).isEqualTo(200);
            Reply mql = act(id, "mark-mql", "{\"score\":80,\"reason\":\"pricing page twice\"}");
            assertThat(mql.json().get("stage").asText()).isEqualTo("MQL");
            Reply prospect = act(id, "qualify", QUALIFY);
            assertThat(prospect.json().get("stage").asText()).isEqualTo("PROSPECT");
            Reply opportunity = act(id, "convert", CONVERT);
            assertThat(opportunity.status()).isEqualTo(200);
            assertThat(opportunity.json().get("stage").asText()).isEqualTo("OPPORTUNITY");
            assertThat(opportunity.json().get("opportunityId").asText()).isNotBlank();
            Reply customer = act(id, "close-won", "{\"amount\":\"11500.00\"}");
            assertThat(customer.json().get("stage").asText()).isEqualTo("CUSTOMER");
            Reply upsell = act(id, "open-opportunity", "{\"opportunityName\":\"Support\",\"amount\":\"900\",\"currency\":\"EUR\"}");
            assertThat(upsell.json().get("stage").asText()).isEqualTo("CUSTOMER");
            assertThat(act(id, "close-lost", "{\"opportunityId\":\"" + upsell.json().get("opportunityId").asText()
                    + "\",\"reason\":\"no budget left\"}").json().get("stage").asText()).isEqualTo("CUSTOMER");
            Reply advocate = act(id, "mark-advocate", "{\"reason\":\"REFERRED\"}");

            assertThat(advocate.status()).isEqualTo(200);
            assertThat(advocate.json().get("stage").asText()).isEqualTo("ADVOCATE");
            assertThat(advocate.json().get("version").asLong()).isEqualTo(9);
            assertThat(advocate.header("ETag")).isEqualTo("\"9\"");
        }

        @Test
        void disqualifiedAndLostContactsAreRecycled() {
            String id = capture();
            assertThat(act(id, "disqualify", "{\"reason\":\"NO_BUDGET\",\"note\":\"frozen\"}").json().get("stage").asText())
                    .isEqualTo("DISQUALIFIED");
            assertThat(act(id, "recycle", "{\"reason\":\"budget released\"}").json().get("stage").asText())
                    .isEqualTo("LEAD");
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            act(id, "qualify", QUALIFY);
            act(id, "convert", CONVERT);
            assertThat(act(id, "close-lost", "{\"reason\":\"competitor\"}").json().get("stage").asText()).isEqualTo("LOST");
            assertThat(act(id, "recycle", "{\"reason\":\"new budget year\"}").json().get("stage").asText()).isEqualTo("LEAD");
        }

        @Test
        void theCorrelationIdIsEchoedOrCreated() {
            String id = capture();
            Reply given = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"PAGE_VIEWED\"}",
                    Map.of("X-Correlation-Id", "import-42"));
            Reply created = act(id, "engagements", "{\"type\":\"PAGE_VIEWED\"}");

            assertThat(given.headers().allValues("X-Correlation-Id")).containsExactly("import-42");
            assertThat(created.headers().allValues("X-Correlation-Id")).singleElement().asString().isNotBlank();
            String stored = jdbc.queryForObject("SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?"
                    + " AND sequence_number = 2", String.class, id);
            assertThat(stored).contains("\"correlationId\":\"" + created.header("X-Correlation-Id") + "\"");
        }

        @Test
        void aRefusedCommandAnswersItsCorrelationIdToo() {
            String id = capture();
            Map<String, String> correlated = Map.of("X-Correlation-Id", "refused-1");

            List<Reply> refusals = List.of(
                    http.post("/api/contacts/" + id + "/convert", SERVICE, CONVERT, correlated),
                    http.post("/api/contacts/" + id + "/mark-mql", SERVICE, "{\"score\":1000}", correlated),
                    http.post("/api/contacts/" + UUID.randomUUID() + "/engagements", SERVICE,
                            "{\"type\":\"PAGE_VIEWED\"}", correlated),
                    http.post("/api/contacts/" + id + "/engagements", null, "{\"type\":\"PAGE_VIEWED\"}", correlated),
                    http.post("/api/contacts/" + id + "/engagements", "analyst-dev-key", "{\"type\":\"PAGE_VIEWED\"}",
                            correlated));

            assertThat(refusals).extracting(Reply::status).containsExactly(409, 400, 404, 401, 403);
            assertThat(refusals).allSatisfy(reply -> assertThat(reply.header("X-Correlation-Id")).isEqualTo("refused-1"));
        }

        @Test
        void aCorrelationIdTooLongIsRefusedAndNotRepeated() {
            String id = capture();
            long before = storedEvents();

            Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"PAGE_VIEWED\"}",
                    Map.of("X-Correlation-Id", "x".repeat(201)));

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("X-Correlation-Id");
            assertThat(reply.header("X-Correlation-Id")).isNull();
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void actorCorrelationIdAndReasonAreStoredAsEventMetadata() {
            String id = capture();
            http.post("/api/contacts/" + id + "/disqualify", SERVICE, "{\"reason\":\"SPAM\",\"note\":\"bot\"}",
                    Map.of("X-Correlation-Id", "cleanup-7"));

            String metaData = jdbc.queryForObject("SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?"
                    + " AND sequence_number = 1", String.class, id);
            assertThat(metaData).contains("\"actor\":\"dev-service\"", "\"correlationId\":\"cleanup-7\"",
                    "\"reason\":\"SPAM: bot\"");
        }

        @Test
        void aLongHistoryIsSnapshottedAndStillLoadsAtTheRightVersion() throws InterruptedException {
            String id = contactWithEngagements(120);
            loadedContacts.removeAll(); // loaded from the store, not kept from the last command

            Reply next = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    Map.of("If-Match", "\"120\""));

            assertThat(snapshots(id)).isEqualTo(1);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.json().get("version").asLong()).isEqualTo(121);
            assertThat(act(id, "qualify", QUALIFY).json().get("stage").asText()).isEqualTo("PROSPECT");
        }

        /**
         * A snapshot holds the contact's fields as the code of its time had them: one of another revision (as every
         * snapshot stored before Contact had one) is not used, the contact is loaded from its events.
         */
        @Test
        void aSnapshotOfAnotherRevisionOfTheContactIsNotUsed() throws InterruptedException {
            String id = contactWithEngagements(100);
            String payload = jdbc.queryForObject("SELECT payload FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                    String.class, id);
            assertThat(payload).contains("\"stage\":\"LEAD\"");
            assertThat(jdbc.queryForObject("SELECT payload_revision FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                    String.class, id)).as("snapshots are stored with Contact's revision").isEqualTo("1");
            // a snapshot whose fields say otherwise than the events: used, the contact would be a customer. Moved one
            // sequence back: the snapshot that the load below triggers may be taken at the sequence this one had (it
            // covers what was committed when it read), and Axon drops a snapshot whose sequence is already stored
            long staleAt = snapshotSequence(id) - 1;
            jdbc.update("UPDATE snapshot_event_entry SET payload = ?, payload_revision = NULL, sequence_number = ?"
                    + " WHERE aggregate_identifier = ?", payload.replace("\"stage\":\"LEAD\"", "\"stage\":\"CUSTOMER\""),
                    staleAt, id);
            loadedContacts.removeAll();

            Reply fromEvents = act(id, "engagements", "{\"type\":\"PAGE_VIEWED\"}");

            assertThat(fromEvents.status()).as(fromEvents.text()).isEqualTo(200);
            assertThat(fromEvents.json().get("stage").asText()).isEqualTo("LEAD");
            // loaded from all its events, the contact is snapshotted anew on the snapshotter's thread: wait for that
            // snapshot, or it could replace the one tampered with below
            long deadline = System.currentTimeMillis() + 10_000;
            while (snapshotSequence(id) == staleAt && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(snapshotSequence(id)).as("a fresh snapshot replaced the skipped one").isGreaterThan(staleAt);
            String fresh = jdbc.queryForObject("SELECT payload FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                    String.class, id);
            assertThat(fresh).contains("\"stage\":\"LEAD\"");
            // the same tampering on a snapshot of the current revision is used: the check above can tell
            jdbc.update("UPDATE snapshot_event_entry SET payload = ? WHERE aggregate_identifier = ?",
                    fresh.replace("\"stage\":\"LEAD\"", "\"stage\":\"CUSTOMER\""), id);
            loadedContacts.removeAll();
            assertThat(act(id, "engagements", "{\"type\":\"PAGE_VIEWED\"}").json().get("stage").asText())
                    .isEqualTo("CUSTOMER");
        }

        long snapshotSequence(String id) {
            return jdbc.queryForObject("SELECT sequence_number FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                    Long.class, id);
        }

        /** A contact with that many engagements after its capture, once its snapshot is stored (or 10 s passed). */
        String contactWithEngagements(int engagements) throws InterruptedException {
            String id = capture();
            for (int i = 0; i < engagements; i++) {
                assertThat(act(id, "engagements", "{\"type\":\"PAGE_VIEWED\"}").status()).isEqualTo(200);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (snapshots(id) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            return id;
        }

        long snapshots(String id) {
            return jdbc.queryForObject("SELECT COUNT(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                    Long.class, id);
        }

        @Test
        void anAdminMaySendCommandsToo() {
            Reply reply = http.post("/api/contacts", "admin-dev-key",
                    "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}");

            assertThat(reply.status()).isEqualTo(201);
        }
    }

    @Nested
    class BadRequest {

        @Test
        void malformedJsonIs400AndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "engagements", "{\"type\": ");

            assertProblem(reply, 400);
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aBodyWithAnythingAfterItsJsonIsMalformedAndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            List<Reply> replies = List.of(
                    act(id, "engagements", "{\"type\":\"EMAIL_OPENED\"} xyz"),
                    act(id, "engagements", "{\"type\":\"EMAIL_OPENED\"}{\"type\":\"CALL_HELD\"}"),
                    act(id, "engagements", "{\"type\":\"EMAIL_OPENED\"}]"),
                    http.post("/api/contacts", SERVICE, "{\"name\":\"Trail Ing\",\"email\":\"" + UUID.randomUUID()
                            + "@example.com\",\"source\":\"AD\"} this is not json"));

            for (Reply reply : replies) {
                assertProblem(reply, 400);
                assertThat(reply.json().get("title").asText()).isEqualTo("Malformed request body");
            }
            // a capture stored would have added its event too
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aFieldNamedTwiceIsMalformedAndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "engagements", "{\"type\":\"EMAIL_OPENED\",\"type\":\"CALL_HELD\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().get("detail").asText()).contains("type");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
            long before = storedEvents();
            Reply reply = http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Ada\",\"email\":\"x@example.com\",\"source\":\"CARRIER_PIGEON\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("source");
            assertThat(reply.json().at("/errors/0/message").asText()).contains("CARRIER_PIGEON", "WEB_FORM");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void anEnumNameWithSpacesAroundItIsUnknownNotTrimmed() {
            String id = capture();
            long before = storedEvents();

            Map<String, Reply> replies = new LinkedHashMap<>();
            replies.put("source", http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\" AD \"}"));
            replies.put("type", act(id, "engagements", "{\"type\":\" CALL_HELD \"}"));
            replies.put("reason", act(id, "disqualify", "{\"reason\":\"SPAM \"}"));

            replies.forEach((field, reply) -> {
                assertProblem(reply, 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(reply.text()).isEqualTo(field);
                assertThat(reply.json().at("/errors/0/message").asText()).as(reply.text()).contains("is not one of");
            });
            assertThat(storedEvents()).isEqualTo(before);
            assertThat(act(id, "engagements", "{\"type\":\"CALL_HELD\"}").status()).isEqualTo(200);
        }

        /** A PostgreSQL read model cannot hold U+0000: acknowledged, such a command was never counted. */
        @Test
        void aTextWithANulCharacterIsAFieldErrorAndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            Map<String, Reply> replies = new LinkedHashMap<>();
            replies.put("name", http.post("/api/contacts", SERVICE, "{\"name\":\"Nul\\u0000Byte\",\"email\":\""
                    + UUID.randomUUID() + "@example.com\",\"source\":\"WEB_FORM\"}"));
            replies.put("campaign", http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\""
                    + UUID.randomUUID() + "@example.com\",\"source\":\"WEB_FORM\",\"campaign\":\"spring\\u0000\"}"));
            replies.put("owner", act(id, "assign-owner", "{\"owner\":\"bad\\u0000owner\"}"));
            replies.put("note", act(id, "engagements", "{\"type\":\"CALL_HELD\",\"note\":\"\\u0000\"}"));

            replies.forEach((field, reply) -> {
                assertProblem(reply, 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(reply.text()).isEqualTo(field);
                assertThat(reply.json().at("/errors/0/message").asText()).as(reply.text()).contains("U+0000");
            });
            assertThat(storedEvents()).isEqualTo(before);
            assertThat(act(id, "assign-owner", "{\"owner\":\"sam\"}").status()).isEqualTo(200);
        }

        /** Jackson took a control character off the end of a value with the spaces; a lone surrogate became "?". */
        @Test
        void aControlCharacterInAValueOrHalfACharacterInATextIsAFieldError() {
            String id = capture();
            long before = storedEvents();

            Map<String, Reply> replies = new LinkedHashMap<>();
            replies.put("type", act(id, "engagements", "{\"type\":\"CALL_HELD\\u0000\"}"));
            replies.put("source", http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\""
                    + UUID.randomUUID() + "@example.com\",\"source\":\"AD\\u0001\"}"));
            replies.put("contactId", http.post("/api/contacts", SERVICE, "{\"contactId\":\"" + UUID.randomUUID()
                    + "\\u0000\",\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                    + "@example.com\",\"source\":\"AD\"}"));
            replies.put("name", http.post("/api/contacts", SERVICE, "{\"name\":\"Sur\\ud800 Rogate\",\"email\":\""
                    + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}"));
            replies.put("occurredAt", act(id, "engagements",
                    "{\"type\":\"CALL_HELD\",\"occurredAt\":\"2026-01-01T00:00:00Z\\u0000\"}"));
            replies.put("opportunityId", act(id, "close-won", "{\"opportunityId\":\"1-1-1-1-1\"}"));

            replies.forEach((field, reply) -> {
                assertProblem(reply, 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(reply.text()).isEqualTo(field);
            });
            assertThat(replies.get("name").json().at("/errors/0/message").asText()).contains("half of a character");
            assertThat(storedEvents()).isEqualTo(before);
            // a character outside the Basic Multilingual Plane, both its halves, is text like any other
            assertThat(act(id, "engagements", "{\"type\":\"CALL_HELD\",\"note\":\"\\ud83d\\ude00\"}").status())
                    .isEqualTo(200);
        }

        @Test
        void aValueOfAnotherJsonTypeIsAFieldErrorNotConverted() {
            String id = capture();
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            long before = storedEvents();
            String email = UUID.randomUUID() + "@example.com";

            Map<String, Reply> replies = new LinkedHashMap<>();
            replies.put("name", http.post("/api/contacts", SERVICE,
                    "{\"name\":123,\"email\":\"" + email + "\",\"source\":\"AD\"}"));
            replies.put("occurredAt", http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Ada\",\"email\":\"" + email + "\",\"source\":\"AD\",\"occurredAt\":1700000000}"));
            replies.put("contactId", http.post("/api/contacts", SERVICE,
                    "{\"contactId\":7,\"name\":\"Ada\",\"email\":\"" + email + "\",\"source\":\"AD\"}"));
            replies.put("source", http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Ada\",\"email\":\"" + email + "\",\"source\":5}"));
            replies.put("type", act(id, "engagements", "{\"type\":\"1\"}"));
            replies.put("occurredAt (a quoted number)", act(id, "engagements",
                    "{\"type\":\"CALL_HELD\",\"occurredAt\":\"1700000000\"}"));
            replies.put("score", act(id, "mark-mql", "{\"score\":\"50\"}"));
            replies.put("note", act(id, "engagements", "{\"type\":\"CALL_HELD\",\"note\":5}"));
            replies.put("amount", act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":12000,\"currency\":\"EUR\"}"));
            replies.put("expectedCloseDate", act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"1\","
                    + "\"currency\":\"EUR\",\"expectedCloseDate\":\"2025-02-03T00:00:00Z\"}"));

            replies.forEach((field, reply) -> {
                assertThat(reply.status()).as(field + ": " + reply.text()).isEqualTo(400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(reply.text())
                        .isEqualTo(field.replace(" (a quoted number)", ""));
            });
            assertThat(replies.get("amount").json().at("/errors/0/message").asText()).contains("decimal string");
            assertThat(replies.get("occurredAt").json().at("/errors/0/message").asText()).contains("ISO-8601");
            assertThat(act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"1e3\",\"currency\":\"EUR\"}")
                    .json().at("/errors/0/field").asText()).isEqualTo("amount");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aBlankOptionalDateOrInstantIsNone() {
            String id = capture();
            act(id, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\" \"}");
            act(id, "mark-mql", "{\"score\":70}");
            act(id, "qualify", QUALIFY);

            Reply converted = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"10\",\"currency\":\"EUR\","
                    + "\"expectedCloseDate\":\"\",\"occurredAt\":\"\"}");

            assertThat(converted.status()).as(converted.text()).isEqualTo(200);
        }

        @Test
        void missingAndInvalidFieldsAreListed() {
            Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\" \",\"email\":\"not-an-email\"}");

            assertProblem(reply, 400);
            List<String> fields = StreamSupport.stream(reply.json().get("errors").spliterator(), false)
                    .map(error -> error.get("field").asText()).toList();
            assertThat(fields).containsExactlyInAnyOrder("name", "email", "source");
        }

        @Test
        void qualifyNeedsAllFourBantAnswers() {
            String id = capture();
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            long before = storedEvents();

            Reply reply = act(id, "qualify", "{\"budget\":\"50k\",\"authority\":\"\",\"need\":\"x\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("authority", "timeline");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aScoreWithAFractionIsRefusedNotCutToAWholeNumber() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "mark-mql", "{\"score\":50.7}");

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("score");
            assertThat(storedEvents()).isEqualTo(before);
            assertThat(act(id, "mark-mql", "{\"score\":50}").json().get("stage").asText()).isEqualTo("MQL");
        }

        @Test
        void aWholeScoreWrittenWithAFractionOrExponentIsRefusedSayingHowToWriteIt() {
            String id = capture();
            long before = storedEvents();

            for (String score : java.util.List.of("50.0", "5e1")) {
                Reply reply = act(id, "mark-mql", "{\"score\":" + score + "}");

                assertProblem(reply, 400);
                assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("score");
                assertThat(reply.json().at("/errors/0/message").asText()).as(score)
                        .isEqualTo("must be a whole number written without a fraction or exponent, such as 60; got 50.0");
            }
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aScoreOutOfRangeAndABadCurrencyAreRefused() {
            String id = capture();
            assertThat(act(id, "mark-mql", "{\"score\":101}").json().at("/errors/0/field").asText()).isEqualTo("score");
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            act(id, "qualify", QUALIFY);

            Reply badCode = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"10\",\"currency\":\"XYZ\"}");
            Reply badAmount = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"ten\",\"currency\":\"EUR\"}");
            Reply negative = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"-1\",\"currency\":\"EUR\"}");

            assertProblem(badCode, 400);
            assertThat(badCode.json().at("/errors/0/field").asText()).isEqualTo("currency");
            assertThat(badAmount.json().at("/errors/0/field").asText()).isEqualTo("amount");
            assertThat(negative.json().at("/errors/0/field").asText()).isEqualTo("amount");
        }

        @Test
        void anAmountFinerThanItsCurrencyAndACodeWithoutMinorUnitsAreRefused() {
            String id = prospect();
            long before = storedEvents();

            Reply tooPrecise = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"1.234\",\"currency\":\"EUR\"}");
            Reply yenCents = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"100.50\",\"currency\":\"JPY\"}");
            Reply noCurrency = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"10\",\"currency\":\"XXX\"}");

            assertProblem(tooPrecise, 400);
            assertThat(tooPrecise.json().at("/errors/0/field").asText()).isEqualTo("amount");
            assertThat(tooPrecise.json().at("/errors/0/message").asText()).contains("1.234", "EUR", "(2)");
            assertThat(yenCents.json().at("/errors/0/field").asText()).isEqualTo("amount");
            assertThat(noCurrency.json().at("/errors/0/field").asText()).isEqualTo("currency");
            assertThat(storedEvents()).isEqualTo(before);
            Reply converted = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"1.230\",\"currency\":\"EUR\"}");
            assertThat(converted.status()).as(converted.text()).isEqualTo(200);
        }

        /** Jackson's messages named the request's Java class and its own feature switches (helper-46). */
        @Test
        void aMalformedBodyIsExplainedWithoutJavaNames() {
            String id = capture();
            long before = storedEvents();
            List<Reply> replies = List.of(
                    http.post("/api/contacts", SERVICE, "[]"),
                    http.post("/api/contacts", SERVICE, "123"),
                    act(id, "qualify", "true"),
                    act(id, "engagements", "{\"type\":\"EMAIL_OPENED\"}{\"a\":1}"),
                    act(id, "engagements", "{\"type\":NaN}"),
                    act(id, "engagements", "{\"type\":\"CALL_HELD\",}"));

            for (Reply reply : replies) {
                assertProblem(reply, 400);
                assertThat(reply.text()).as(reply.text()).doesNotContain("com.salespipeline", "Feature", "`",
                        "JsonToken", "Source:");
            }
            assertThat(replies.get(0).json().get("detail").asText()).contains("one JSON object");
            assertThat(replies.get(4).json().get("detail").asText()).contains("NaN");
            assertThat(storedEvents()).isEqualTo(before);
        }

        /** No-break, ideographic and zero-width spaces are as blank as ASCII ones, for every text of a command. */
        @Test
        void aTextOfUnicodeSpacesAndInvisibleCharactersIsBlank() throws Exception {
            // JSON escapes: a no-break space, a zero-width space, an ideographic space, an em space, a byte-order mark
            String[] blanks = {"\\u00a0", "\\u200b", "\\u3000", "\\u2003", "\\u00a0\\u200b\\ufeff"};
            for (String blank : blanks) {
                Reply name = http.post("/api/contacts", SERVICE, "{\"name\":\"" + blank + "\",\"email\":\""
                        + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}");
                assertProblem(name, 400);
                assertThat(name.json().at("/errors/0/field").asText()).as(blank).isEqualTo("name");
            }
            String id = capture();
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            long before = storedEvents();
            for (String blank : blanks) {
                Reply budget = act(id, "qualify", "{\"budget\":\"" + blank
                        + "\",\"authority\":\"CTO\",\"need\":\"reporting\",\"timeline\":\"Q3\"}");
                assertThat(budget.status()).as(blank + ": " + budget.text()).isEqualTo(400);
                assertThat(budget.text()).as(blank).contains("budget");
                Reply owner = act(id, "assign-owner", "{\"owner\":\"" + blank + "\"}");
                assertThat(owner.json().at("/errors/0/field").asText()).as(blank).isEqualTo("owner");
                Reply reason = act(id, "disqualify", "{\"reason\":\"NO_BUDGET\",\"note\":\"" + blank + "\"}");
                assertThat(reason.status()).as(blank).isEqualTo(200);
                act(id, "recycle", "{\"reason\":\"back to nurture\"}");
                act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            }
            assertThat(jdbc.queryForList("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ?"
                    + " AND payload_type LIKE '%LeadDisqualified' AND sequence_number > ?", String.class, id, 1))
                    .hasSize(blanks.length)
                    .allSatisfy(payload -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(payload).path("note").isNull()).as(payload).isTrue());
            assertThat(storedEvents()).isEqualTo(before + 3L * blanks.length);
        }

        /** An amount of 1,001 digits was once stored, and no reader of the event could read it again. */
        @Test
        void anAmountOfMoreThan18DigitsBeforeThePointOr8AfterItIsRefused() {
            String id = prospect();
            long before = storedEvents();

            Reply longWhole = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"" + "9".repeat(1_001)
                    + "\",\"currency\":\"EUR\"}");
            Reply nineteen = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"" + "1".repeat(19)
                    + "\",\"currency\":\"EUR\"}");
            Reply longFraction = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"1." + "0".repeat(9)
                    + "\",\"currency\":\"EUR\"}");

            for (Reply refused : List.of(longWhole, nineteen, longFraction)) {
                assertProblem(refused, 400);
                assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("amount");
                assertThat(refused.json().at("/errors/0/message").asText()).contains("at most 18 digits");
            }
            // the answer quotes the start of a long value only
            assertThat(longWhole.json().at("/errors/0/message").asText()).hasSizeLessThan(200)
                    .contains("(1001 characters)");
            assertThat(storedEvents()).isEqualTo(before);
            Reply converted = act(id, "convert", "{\"opportunityName\":\"x\",\"amount\":\"" + "9".repeat(18)
                    + ".00000000\",\"currency\":\"EUR\"}");
            assertThat(converted.status()).as(converted.text()).isEqualTo(200);
            Reply wonTooLong = act(id, "close-won", "{\"amount\":\"" + "9".repeat(19) + "\"}");
            assertThat(wonTooLong.json().at("/errors/0/field").asText()).isEqualTo("amount");
            assertThat(act(id, "close-won", "{\"amount\":\"" + "9".repeat(18) + "\"}").status()).isEqualTo(200);
        }

        @Test
        void occurredAtInTheFutureIsRefused() {
            String id = capture();
            long before = storedEvents();
            String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();

            Reply reply = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\"" + future + "\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("occurredAt");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void occurredAtBeforeThePreviousEventIsRefused() {
            Reply created = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                    + "@example.com\",\"source\":\"AD\",\"occurredAt\":\"2026-02-01T00:00:00Z\"}");
            String id = created.json().get("contactId").asText();

            Reply reply = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\"2026-01-31T23:59:59Z\"}");
            Reply backdatedButLater = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\"2026-02-01T00:00:01Z\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().get("code").asText()).isEqualTo("occurred-at-before-previous-event");
            assertThat(backdatedButLater.status()).isEqualTo(200);
        }

        @Test
        void aCaptureBeforeYearOneIsRefusedAndStoresNothing() {
            long before = storedEvents();

            Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                    + "@example.com\",\"source\":\"AD\",\"occurredAt\":\"-300000-01-01T00:00:00Z\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().get("code").asText()).isEqualTo("occurred-at-before-earliest");
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("occurredAt");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aMalformedInstantIsAFieldError() {
            String id = capture();

            Reply reply = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\"yesterday\"}");

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("occurredAt");
        }

        @Test
        void closingWithoutAnIdWhileTwoAreOpenNeedsTheId() {
            String id = prospect();
            act(id, "convert", CONVERT);
            act(id, "close-won", "{}");
            act(id, "open-opportunity", CONVERT);
            act(id, "open-opportunity", CONVERT);

            Reply reply = act(id, "close-won", "{}");

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("opportunityId");
            assertThat(reply.json().get("openOpportunityIds")).hasSize(2);
        }
    }

    @Nested
    class Refusals {

        @Test
        void anUnknownContactIs404() {
            Reply reply = act(UUID.randomUUID().toString(), "engagements", "{\"type\":\"CALL_HELD\"}");
            Reply notAnId = act("no-such-contact", "engagements", "{\"type\":\"CALL_HELD\"}");

            assertProblem(reply, 404);
            assertProblem(notAnId, 404);
        }

        @Test
        void aTransitionNotInTheTableIs409WithCurrentStageAndAllowedCommands() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "convert", CONVERT);

            assertProblem(reply, 409);
            assertThat(reply.json().get("currentStage").asText()).isEqualTo("LEAD");
            assertThat(texts(reply.json().get("allowedCommands"))).containsExactly("RecordEngagement", "AssignOwner",
                    "MarkMarketingQualified", "QualifyLead", "DisqualifyLead");
            assertThat(texts(reply.json().get("allowedActions"))).contains("qualify", "mark-mql");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void closingAnOpportunityThatIsNotOpenIs409WithCurrentStageAndAllowedCommands() {
            String id = prospect();
            String open = act(id, "convert", CONVERT).json().get("opportunityId").asText();
            long before = storedEvents();

            Reply reply = act(id, "close-won", "{\"opportunityId\":\"" + UUID.randomUUID() + "\"}");

            assertProblem(reply, 409);
            assertThat(reply.json().get("code").asText()).isEqualTo("opportunity-not-open");
            assertThat(reply.json().get("currentStage").asText()).isEqualTo("OPPORTUNITY");
            assertThat(texts(reply.json().get("openOpportunityIds"))).containsExactly(open);
            assertThat(texts(reply.json().get("allowedCommands"))).containsExactly("RecordEngagement", "AssignOwner",
                    "CloseWon", "CloseLost");
            assertThat(texts(reply.json().get("allowedActions"))).contains("close-won", "close-lost");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void closingAgainTheOpportunityACustomerWonIsNotACommandOfTheStage() {
            String id = prospect();
            String won = act(id, "convert", CONVERT).json().get("opportunityId").asText();
            act(id, "close-won", "{}");
            long before = storedEvents();

            Reply reply = act(id, "close-won", "{\"opportunityId\":\"" + won + "\"}");

            assertProblem(reply, 409);
            assertThat(reply.json().get("code").asText()).isEqualTo("transition-not-allowed");
            assertThat(reply.json().get("currentStage").asText()).isEqualTo("CUSTOMER");
            assertThat(texts(reply.json().get("allowedActions"))).doesNotContain("close-won", "close-lost");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void qualifyingWithoutATwoWayEngagementIs409() {
            String id = capture();
            act(id, "engagements", "{\"type\":\"PRICING_PAGE_VIEWED\"}");
            long before = storedEvents();

            Reply reply = act(id, "qualify", QUALIFY);

            assertProblem(reply, 409);
            assertThat(reply.json().get("currentStage").asText()).isEqualTo("LEAD");
            assertThat(reply.json().get("allowedCommands")).isNotEmpty();
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aDuplicateEmailIs409NamingTheExistingContactWhateverTheCase() {
            String email = "Grace." + UUID.randomUUID() + "@Example.com";
            String existing = capture(email);
            long before = storedEvents();

            Reply reply = http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Grace\",\"email\":\"" + email.toUpperCase() + "\",\"source\":\"AD\"}");

            assertProblem(reply, 409);
            assertThat(reply.json().get("existingContactId").asText()).isEqualTo(existing);
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aClientChosenIdThatExistsIs409() {
            String existing = capture();

            Reply reply = http.post("/api/contacts", SERVICE, "{\"contactId\":\"" + existing
                    + "\",\"name\":\"Other\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}");

            assertProblem(reply, 409);
            assertThat(reply.json().get("existingContactId").asText()).isEqualTo(existing);
        }

        @Test
        void aStaleIfMatchIs412AndStoresNothing() {
            String id = capture();
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            long before = storedEvents();

            Reply stale = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    Map.of("If-Match", "\"0\""));
            Reply current = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    Map.of("If-Match", "\"1\""));

            assertProblem(stale, 412);
            assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(1);
            assertThat(current.status()).isEqualTo(200);
            assertThat(storedEvents()).isEqualTo(before + 1);
        }

        @Test
        void ifMatchOnACaptureIs412SinceANewContactHasNoVersion() {
            long before = storedEvents();

            for (String ifMatch : List.of("\"0\"", "\"5\"", "*")) {
                String body = "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}";
                Reply reply = http.post("/api/contacts", SERVICE, body, Map.of("If-Match", ifMatch));

                assertProblem(reply, 412);
                assertThat(reply.json().get("detail").asText()).as(ifMatch).contains("new contact");
                assertThat(reply.json().has("currentVersion")).isTrue();
                assertThat(reply.json().get("currentVersion").isNull()).isTrue();
            }
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aMalformedIfMatchIs400() {
            String id = capture();

            Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    Map.of("If-Match", "yesterday's"));

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("If-Match");
        }

        @Test
        void aBodyOverTheLimitIs413AndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"note\":\"" + "x".repeat(5000) + "\"}");

            assertProblem(reply, 413);
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aBodyOverTheLimitIsStill401WithoutAKeyAnd403WithTheWrongRole() {
            String body = "{\"type\":\"CALL_HELD\",\"note\":\"" + "x".repeat(5000) + "\"}";
            String id = capture();

            assertProblem(http.post("/api/contacts/" + id + "/engagements", null, body), 401);
            assertProblem(http.post("/api/contacts/" + id + "/engagements", "analyst-dev-key", body), 403);
        }

        @Test
        void aBodyOfTenMegabytesIsAnswered413() {
            String id = capture();
            long before = storedEvents();

            Reply reply = act(id, "engagements", "{\"type\":\"CALL_HELD\",\"note\":\"" + "x".repeat(10_000_000) + "\"}");

            assertProblem(reply, 413);
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aCommandThatAcceptsNoJsonIs406AndStoresNothing() {
            String email = UUID.randomUUID() + "@example.com";
            String body = "{\"name\":\"Ada\",\"email\":\"" + email + "\",\"source\":\"AD\"}";
            long before = storedEvents();

            Reply xml = http.post("/api/contacts", SERVICE, body, Map.of("Accept", "application/xml"));
            Reply csv = http.post("/api/contacts", SERVICE, body, Map.of("Accept", "text/csv"));
            Reply refused = http.post("/api/contacts", SERVICE, body, Map.of("Accept", "application/json;q=0"));
            Reply refusedInsideAnyType = http.post("/api/contacts", SERVICE, body,
                    Map.of("Accept", "application/json;q=0, */*"));

            assertThat(xml.status()).as(xml.text()).isEqualTo(406);
            assertThat(csv.status()).as(csv.text()).isEqualTo(406);
            assertThat(refused.status()).as(refused.text()).isEqualTo(406);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refusedInsideAnyType.status()).as(refusedInsideAnyType.text()).isEqualTo(406);
            assertProblem(http.post("/api/contacts", SERVICE, body, Map.of("Accept", "garbage")), 406);
            assertThat(storedEvents()).isEqualTo(before);
            // the lead was not captured: the same email is still free
            assertThat(http.post("/api/contacts", SERVICE, body).status()).isEqualTo(201);
        }

        @Test
        void whatNoHandlerAnswersIsAProblemToo() {
            Reply rejected = http.get("/api/contacts/" + capture() + "/history;x=1", "auditor-dev-key");
            Reply errorPage = http.get("/error", null);

            assertProblem(rejected, 400);
            assertProblem(errorPage, 404);
        }

        @Test
        void aWrongContentTypeIs415() {
            String id = capture();

            Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "type=CALL_HELD",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"));

            assertProblem(reply, 415);
        }
    }

    @Nested
    class Idempotency {

        @Test
        void aRetryWithTheSameKeyAndBodyReturnsTheFirstAnswerAndStoresNothingNew() {
            String body = "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}";
            Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            Reply first = http.post("/api/contacts", SERVICE, body, key);
            long after = storedEvents();

            Reply retry = http.post("/api/contacts", SERVICE, body, key);

            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.json()).isEqualTo(first.json());
            assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
            assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(storedEvents()).isEqualTo(after);
        }

        /**
         * Records stay in the store across upgrades, so what a fingerprint is made of is a stored format: the first
         * assertion pins today's; the rest replays a record as versions before 2026-12-07 stored it (If-Match
         * included), whose retries were refused 422 after an upgrade (helper-37).
         */
        @Test
        void aKeyStoredByAnEarlierVersionStillAnswersItsRetries() throws Exception {
            String id = capture();
            String path = "/api/contacts/" + id + "/engagements";
            String key = UUID.randomUUID().toString();
            Reply first = http.post(path, SERVICE, "{\"type\":\"CALL_HELD\"}", Map.of("Idempotency-Key", key,
                    "If-Match", "\"0\""));
            String bound = "RecordEngagementRequest[type=CALL_HELD, note=null, occurredAt=null]";
            assertThat(jdbc.queryForObject("SELECT fingerprint FROM idempotency_record WHERE idempotency_key = ?",
                    String.class, key)).as("today's fingerprint").isEqualTo(sha256("POST " + path + "\n" + bound));
            jdbc.update("UPDATE idempotency_record SET fingerprint = ? WHERE idempotency_key = ?",
                    sha256("POST " + path + "\nIf-Match: \"0\"\n" + bound), key);
            long after = storedEvents();

            Reply retry = http.post(path, SERVICE, "{\"type\":\"CALL_HELD\"}", Map.of("Idempotency-Key", key,
                    "If-Match", "\"0\""));
            Reply other = http.post(path, SERVICE, "{\"type\":\"DEMO_HELD\"}", Map.of("Idempotency-Key", key,
                    "If-Match", "\"0\""));

            assertThat(first.status()).as(first.text()).isEqualTo(200);
            assertThat(retry.status()).as(retry.text()).isEqualTo(200);
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(retry.json()).isEqualTo(first.json());
            assertProblem(other, 422);
            assertThat(storedEvents()).isEqualTo(after);
        }

        private static String sha256(String text) throws Exception {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        /** Two keys on one request were one key and one ignored: a retry under the other ran the command again. */
        @Test
        void aSecondIdempotencyKeyIsRefusedAndStoresNothing() {
            String id = capture();
            long before = storedEvents();

            Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString(), "idempotency-key",
                            UUID.randomUUID().toString()));

            assertProblem(reply, 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
            assertThat(storedEvents()).isEqualTo(before);
        }

        /** The path's contact id is a UUID, the same contact in either case: so is a retry's (it was a 422). */
        @Test
        void aRetryThatSpellsTheContactIdInTheOtherCaseIsTheSameRequest() {
            String id = capture();
            String upper = id.toUpperCase(java.util.Locale.ROOT);
            Map<String, String> first = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            Map<String, String> second = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            Reply upperFirst = http.post("/api/contacts/" + upper + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    first);
            Reply lowerFirst = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"DEMO_HELD\"}",
                    second);
            long after = storedEvents();

            Reply lowerRetry = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    first);
            Reply upperRetry = http.post("/api/contacts/" + upper + "/engagements", SERVICE,
                    "{\"type\":\"DEMO_HELD\"}", second);

            assertThat(List.of(upperFirst, lowerFirst)).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(200));
            assertThat(lowerRetry.status()).as(lowerRetry.text()).isEqualTo(200);
            assertThat(lowerRetry.json()).isEqualTo(upperFirst.json());
            assertThat(lowerRetry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(upperRetry.status()).as(upperRetry.text()).isEqualTo(200);
            assertThat(upperRetry.json()).isEqualTo(lowerFirst.json());
            assertThat(storedEvents()).isEqualTo(after);
        }

        /** A key stored before 2026-12-08 holds the path as it was sent, in whatever case: its retries still answer. */
        @Test
        void aKeyStoredWithThePathAsSentStillAnswersItsRetries() throws Exception {
            String upper = capture().toUpperCase(java.util.Locale.ROOT);
            String path = "/api/contacts/" + upper + "/engagements";
            String key = UUID.randomUUID().toString();
            Reply first = http.post(path, SERVICE, "{\"type\":\"CALL_HELD\"}", Map.of("Idempotency-Key", key));
            String bound = "RecordEngagementRequest[type=CALL_HELD, note=null, occurredAt=null]";
            jdbc.update("UPDATE idempotency_record SET fingerprint = ? WHERE idempotency_key = ?",
                    sha256("POST " + path + "\n" + bound), key);
            long after = storedEvents();

            Reply retry = http.post(path, SERVICE, "{\"type\":\"CALL_HELD\"}", Map.of("Idempotency-Key", key));

            assertThat(retry.status()).as(retry.text()).isEqualTo(200);
            assertThat(retry.json()).isEqualTo(first.json());
            assertThat(storedEvents()).isEqualTo(after);
        }

        @Test
        void theSameKeyWithAnotherBodyIs422() {
            String id = capture();
            Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}", key);
            long after = storedEvents();

            Reply reply = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"DEMO_HELD\"}", key);

            assertProblem(reply, 422);
            assertThat(storedEvents()).isEqualTo(after);
        }

        @Test
        void aRetryOfARefusedRequestGetsTheSameRefusalEvenAfterTheContactChanged() {
            String id = capture();
            Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            Reply refused = http.post("/api/contacts/" + id + "/qualify", SERVICE, QUALIFY, key);
            act(id, "engagements", "{\"type\":\"CALL_HELD\"}");
            long after = storedEvents();

            Reply retried = http.post("/api/contacts/" + id + "/qualify", SERVICE, QUALIFY, key);

            assertProblem(refused, 409);
            assertThat(refused.header("Idempotent-Replayed")).isNull();
            assertProblem(retried, 409);
            assertThat(retried.json()).isEqualTo(refused.json());
            assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(storedEvents()).isEqualTo(after);
            Reply withANewKey = http.post("/api/contacts/" + id + "/qualify", SERVICE, QUALIFY,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            // qualified only now: the retry above did not qualify the contact
            assertThat(withANewKey.status()).as(withANewKey.text()).isEqualTo(200);
            assertThat(withANewKey.json().get("stage").asText()).isEqualTo("PROSPECT");
        }

        @Test
        void anUnknownContactAndAVersionMismatchAreAnsweredAgainAsFirstAnswered() {
            String unknown = UUID.randomUUID().toString();
            Map<String, String> unknownKey = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            String id = capture();
            Map<String, String> staleKey = Map.of("Idempotency-Key", UUID.randomUUID().toString(), "If-Match", "\"7\"");

            Reply notFound = http.post("/api/contacts/" + unknown + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    unknownKey);
            Reply notFoundAgain = http.post("/api/contacts/" + unknown + "/engagements", SERVICE,
                    "{\"type\":\"CALL_HELD\"}", unknownKey);
            Reply stale = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}", staleKey);
            Reply staleAgain = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                    staleKey);
            long stored = storedEvents();
            // the same key and body: a retry, whatever version it now expects
            Reply staleAgainExpectingTheCurrentVersion = http.post("/api/contacts/" + id + "/engagements", SERVICE,
                    "{\"type\":\"CALL_HELD\"}", Map.of("Idempotency-Key", staleKey.get("Idempotency-Key"), "If-Match", "\"0\""));

            assertProblem(notFound, 404);
            assertThat(notFoundAgain.json()).isEqualTo(notFound.json());
            assertThat(notFoundAgain.header("Idempotent-Replayed")).isEqualTo("true");
            assertProblem(stale, 412);
            assertThat(staleAgain.json()).isEqualTo(stale.json());
            assertThat(staleAgain.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(staleAgainExpectingTheCurrentVersion.json()).isEqualTo(stale.json());
            assertThat(staleAgainExpectingTheCurrentVersion.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(storedEvents()).isEqualTo(stored);
        }

        @Test
        void aRequestRefusedBeforeItRanLeavesItsKeyFree() {
            String id = capture();
            Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

            Reply malformed = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"SMOKE_SIGNAL\"}", key);
            Reply corrected = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}", key);

            assertProblem(malformed, 400);
            assertThat(corrected.status()).as(corrected.text()).isEqualTo(200);
            assertThat(corrected.header("Idempotent-Replayed")).isNull();
        }
    }

    @Nested
    class Authentication {

        @Test
        void noKeyIs401() {
            Reply reply = http.post("/api/contacts", null, "{}");

            assertProblem(reply, 401);
        }

        @Test
        void anUnknownKeyIs401() {
            Reply reply = http.post("/api/contacts", "guessed-key", "{}");

            assertProblem(reply, 401);
        }

        @Test
        void twoAuthorizationHeadersAre401AndStoreNothing() {
            long before = storedEvents();
            String body = "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}";

            Reply reply = http.post("/api/contacts", SERVICE, body, Map.of("Authorization", "Bearer " + SERVICE));

            assertProblem(reply, 401);
            assertThat(reply.json().get("detail").asText()).contains("more than one Authorization header");
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void aKeyWithoutTheServiceRoleIs403AndStoresNothing() {
            long before = storedEvents();
            Reply analyst = http.post("/api/contacts", "analyst-dev-key",
                    "{\"name\":\"Ada\",\"email\":\"a@example.com\",\"source\":\"AD\"}");
            Reply auditor = http.post("/api/contacts", "auditor-dev-key",
                    "{\"name\":\"Ada\",\"email\":\"a@example.com\",\"source\":\"AD\"}");

            assertProblem(analyst, 403);
            assertProblem(auditor, 403);
            assertThat(storedEvents()).isEqualTo(before);
        }

        @Test
        void healthIsOpen() {
            Reply reply = http.get("/actuator/health", null);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("UP");
        }

        @Test
        void healthIsOpenWhateverKeyIsSent() {
            Reply unknownKey = http.get("/actuator/health", "a-key-of-another-service");
            Reply wrongRole = http.get("/actuator/health", "analyst-dev-key");

            assertThat(unknownKey.status()).isEqualTo(200);
            assertThat(unknownKey.json().get("status").asText()).isEqualTo("UP");
            assertThat(wrongRole.status()).isEqualTo(200);
            // the key is still checked everywhere else
            assertProblem(http.get("/api/contacts/" + UUID.randomUUID() + "/history",
                    "a-key-of-another-service"), 401);
        }
    }

    @Nested
    class Metrics {

        @Test
        void requestsAreTimedButNotEachSecurityFilter() throws InterruptedException {
            capture();

            List<String> names = http.meterNames("admin-dev-key");
            assertThat(names).contains("http.server.requests").noneMatch(name -> name.startsWith("spring.security"));
        }
    }
}
