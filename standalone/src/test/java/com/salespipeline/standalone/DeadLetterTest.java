package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event the read models cannot apply parks its contact visibly (dead letters, metric) while other
 * contacts keep flowing; once the cause is repaired (here by a replay), a retry applies the parked events
 * in order and nothing is lost.
 */
class DeadLetterTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";
    static final String ADMIN = "admin-dev-key";

    @TempDir
    Path dataDir;

    @Test
    void aContactWhoseEventsCannotBeAppliedIsParkedWhileOthersFlowAndIsUnparkedByARetryAfterRepair() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            HttpClientSupport http = new HttpClientSupport("http://localhost:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String broken = capture(http, "broken@example.com");
            String halfway = capture(http, "halfway@example.com");
            String halfwayToo = capture(http, "halfway-too@example.com");
            String healthy = capture(http, "healthy@example.com");
            awaitContact(http, broken, version -> version == 0);
            awaitContact(http, halfway, version -> version == 0);
            awaitContact(http, halfwayToo, version -> version == 0);
            awaitContact(http, healthy, version -> version == 0);

            // the read model loses the contact's row (think: a bad manual fix): its next events cannot apply
            assertThat(jdbc.update("DELETE FROM read_contact WHERE contact_id = ?", java.util.UUID.fromString(broken)))
                    .isEqualTo(1);
            send(http, broken, "engagements", "{\"type\":\"CALL_HELD\"}");
            send(http, broken, "mark-mql", "{\"score\":70}");
            // these two fail half-way through applying (after claiming the event, at its missing open visit): what
            // they had already written must not stay behind, and both are parked (the projection applies without
            // savepoints, rolls the batch back and reads it again with them)
            for (String contact : java.util.List.of(halfway, halfwayToo)) {
                assertThat(jdbc.update("DELETE FROM read_stage_visit WHERE contact_id = ?",
                        java.util.UUID.fromString(contact))).isEqualTo(1);
            }
            send(http, halfway, "mark-mql", "{\"score\":75}");
            send(http, halfwayToo, "mark-mql", "{\"score\":76}");
            send(http, healthy, "mark-mql", "{\"score\":80}");

            JsonNode healthyNow = awaitContact(http, healthy, version -> version == 1);
            assertThat(healthyNow.path("stage").asText()).isEqualTo("MQL");
            JsonNode parked = awaitParked(http, 4);
            assertThat(parked.path("parkedContacts").asLong()).isEqualTo(3);
            JsonNode contact = null;
            for (JsonNode each : parked.path("contacts")) {
                if (each.path("contactId").asText().equals(broken)) {
                    contact = each;
                }
            }
            assertThat(contact).as(parked.toString()).isNotNull();
            assertThat(contact.path("contactId").asText()).isEqualTo(broken);
            assertThat(contact.path("events").findValuesAsText("type"))
                    .containsExactly("EngagementRecorded", "LeadMarketingQualified");
            assertThat(contact.path("events").findValuesAsText("sequenceNumber")).containsExactly("1", "2");
            assertThat(contact.path("events").get(0).path("causeMessage").asText()).contains("never applied");
            assertThat(metric(http)).isEqualTo(4.0);
            for (String halfwayContact : java.util.List.of(halfway, halfwayToo)) {
                JsonNode untouched = http.get("/api/contacts/" + halfwayContact, ANALYST).json();
                assertThat(untouched.path("stage").asText()).as(untouched.toString()).isEqualTo("LEAD");
                assertThat(untouched.path("version").asLong()).isZero();
            }

            // nothing repaired yet: the retry fails again and keeps both events parked, in order
            JsonNode futile = http.post("/api/admin/dead-letters/retry", ADMIN, "").json();
            assertThat(futile.path("unparkedContacts").asInt()).isZero();
            assertThat(futile.path("parkedContactsAfter").asLong()).isEqualTo(3);

            // the replay rebuilds every row from the event store; a later event still waits behind the parked ones
            assertThat(http.post("/api/admin/replay", ADMIN, "").status()).isEqualTo(202);
            awaitReplayed(http);
            send(http, broken, "engagements", "{\"type\":\"EMAIL_REPLIED\"}");
            awaitParked(http, 5);

            JsonNode retried = retryUntilUnparked(http);
            assertThat(retried.path("parkedContactsAfter").asLong()).as(retried.toString()).isZero();
            assertThat(awaitContact(http, halfway, version -> version == 1).path("stage").asText()).isEqualTo("MQL");
            assertThat(awaitContact(http, halfwayToo, version -> version == 1).path("stage").asText()).isEqualTo("MQL");
            JsonNode repaired = awaitContact(http, broken, version -> version == 3);
            assertThat(repaired.path("stage").asText()).isEqualTo("MQL");
            assertThat(metric(http)).isZero();
            assertThat(http.get("/api/reports/funnel?mode=strict", ANALYST).json().at("/stages/1/reached").asLong())
                    .as("the four contacts entered MQL, each counted once").isEqualTo(4);
        }
    }

    /**
     * An event whose payload cannot be read (a reader older than the writer, a bug like the 1,001-digit amount) is
     * parked with its contact like any event that cannot be applied: the projection used to read the payload only to
     * learn whose event it was, before any handler, and stopped there for every contact.
     */
    @Test
    void anEventWhosePayloadCannotBeReadIsParkedWithItsContactWhileOthersFlow() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            HttpClientSupport http = new HttpClientSupport("http://localhost:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String unreadable = capture(http, "unreadable@example.com");
            String healthy = capture(http, "healthy@example.com");
            awaitContact(http, unreadable, version -> version == 0);
            awaitContact(http, healthy, version -> version == 0);

            // the projection stopped while an event is stored and then spoiled, so that it reads it spoiled
            EventProcessor projections = app.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(LifecycleProjection.PROCESSING_GROUP).orElseThrow();
            projections.shutDown();
            send(http, unreadable, "engagements", "{\"type\":\"CALL_HELD\"}");
            send(http, healthy, "mark-mql", "{\"score\":80}");
            assertThat(jdbc.update("UPDATE domain_event_entry SET payload = REPLACE(payload, '\"CALL_HELD\"',"
                    + " '\"NO_SUCH_TYPE\"') WHERE aggregate_identifier = ? AND sequence_number = 1", unreadable))
                    .isEqualTo(1);
            projections.start();

            assertThat(awaitContact(http, healthy, version -> version == 1).path("stage").asText()).isEqualTo("MQL");
            JsonNode parked = awaitParked(http, 1);
            JsonNode contact = parked.path("contacts").get(0);
            assertThat(contact.path("contactId").asText()).as(parked.toString()).isEqualTo(unreadable);
            assertThat(contact.path("events").get(0).path("type").asText()).isEqualTo("EngagementRecorded");
            assertThat(contact.path("events").get(0).path("causeMessage").asText()).containsIgnoringCase("deserializ");
            assertThat(http.get("/api/contacts/" + unreadable, ANALYST).header("Read-Model-Behind")).isEqualTo("true");
        }
    }

    private static String capture(HttpClientSupport http, String email) {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Someone\",\"email\":\"" + email
                + "\",\"source\":\"WEB_FORM\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }

    private static void send(HttpClientSupport http, String id, String action, String body) {
        Reply reply = http.post("/api/contacts/" + id + "/" + action, SERVICE, body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    }

    private static JsonNode awaitContact(HttpClientSupport http, String id, Predicate<Long> version)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Reply reply = http.get("/api/contacts/" + id, ANALYST);
            if (reply.status() == 200 && version.test(reply.json().path("version").asLong())) {
                return reply.json();
            }
            assertThat(System.currentTimeMillis()).as("contact " + id + " in the read model: " + reply.text())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitParked(HttpClientSupport http, long events) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode parked = http.get("/api/admin/dead-letters", ADMIN).json();
            if (parked.path("parkedEvents").asLong() == events) {
                return parked;
            }
            assertThat(System.currentTimeMillis()).as("parked events: " + parked).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitReplayed(HttpClientSupport http) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode status;
        do {
            Thread.sleep(100);
            status = http.get("/api/admin/replay", ADMIN).json();
            assertThat(System.currentTimeMillis()).as("replay finished: " + status).isLessThan(deadline);
        } while (!"IDLE".equals(status.path("state").asText()));
        assertThat(status.path("failure").isNull()).as("replay succeeded: " + status).isTrue();
    }

    /** A sequence that failed moments ago is claimed for a while; the retry takes it once the claim is gone. */
    private static JsonNode retryUntilUnparked(HttpClientSupport http) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            JsonNode outcome = http.post("/api/admin/dead-letters/retry", ADMIN, "").json();
            if (outcome.path("parkedContactsAfter").asLong() == 0) {
                return outcome;
            }
            assertThat(System.currentTimeMillis()).as("retry unparked the contact: " + outcome).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static double metric(HttpClientSupport http) {
        Reply reply = http.get("/actuator/metrics/pipeline.projections.dead.letters", ADMIN);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().at("/measurements/0/value").asDouble();
    }
}
