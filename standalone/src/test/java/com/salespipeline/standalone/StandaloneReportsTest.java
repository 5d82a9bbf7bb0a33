package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The standalone app answers every query of api.md for data sent through its own command API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneReportsTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";

    @TempDir
    static Path dataDir;
    ConfigurableApplicationContext app;
    HttpClientSupport http;
    String customer;

    @BeforeAll
    void startAndSendAHistory() throws InterruptedException {
        app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir);
        http = new HttpClientSupport("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
        customer = capture("ada@example.com", "REFERRAL", "2026-01-05T09:00:00Z");
        send(customer, "engagements", "{\"type\":\"CALL_HELD\",\"occurredAt\":\"2026-01-06T09:00:00Z\"}");
        send(customer, "qualify", "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\","
                + "\"occurredAt\":\"2026-01-07T09:00:00Z\"}");
        send(customer, "convert", "{\"opportunityName\":\"Deal\",\"amount\":\"10.00\",\"currency\":\"EUR\","
                + "\"occurredAt\":\"2026-01-09T09:00:00Z\"}");
        send(customer, "close-won", "{\"occurredAt\":\"2026-01-19T09:00:00Z\"}");
        String lead = capture("grace@example.com", "WEB_FORM", "2026-02-01T09:00:00Z");
        send(lead, "mark-mql", "{\"score\":50,\"occurredAt\":\"2026-02-02T09:00:00Z\"}");
        capture("charles@example.com", "WEB_FORM", "2026-02-10T09:00:00Z");
        long deadline = System.currentTimeMillis() + 30_000;
        while (http.get("/api/contacts/" + customer, ANALYST).json().path("version").asLong(-1) != 4) {
            assertThat(System.currentTimeMillis()).as("projection caught up").isLessThan(deadline);
            Thread.sleep(100);
        }
        while (http.get("/api/reports/funnel", ANALYST).json().at("/stages/0/reached").asLong() != 3) {
            assertThat(System.currentTimeMillis()).as("projection caught up").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stop() {
        app.close();
    }

    String capture(String email, String source, String at) {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Someone\",\"email\":\"" + email
                + "\",\"source\":\"" + source + "\",\"occurredAt\":\"" + at + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }

    void send(String id, String action, String body) {
        assertThat(http.post("/api/contacts/" + id + "/" + action, SERVICE, body).status()).isEqualTo(200);
    }

    @Test
    void requestsAreTimedButNotEachSecurityFilter() throws InterruptedException {
        assertThat(http.meterNames("admin-dev-key")).contains("http.server.requests")
                .noneMatch(name -> name.startsWith("spring.security"));
    }

    @Test
    void theFunnelInBothModesAndAsOf() {
        JsonNode cumulative = http.get("/api/reports/funnel", ANALYST).json();
        JsonNode strict = http.get("/api/reports/funnel?mode=strict", ANALYST).json();
        JsonNode january = http.get("/api/reports/funnel?asOf=2026-01-08T00:00:00Z", ANALYST).json();

        assertThat(counts(cumulative, "reached")).containsExactly(3L, 2L, 1L, 1L, 1L, 0L);
        assertThat(counts(cumulative, "current")).containsExactly(1L, 1L, 0L, 0L, 1L, 0L);
        assertThat(counts(strict, "reached")).containsExactly(3L, 1L, 1L, 1L, 1L, 0L);
        assertThat(counts(january, "reached")).containsExactly(1L, 1L, 1L, 0L, 0L, 0L);
        assertThat(counts(january, "current")).containsExactly(0L, 0L, 1L, 0L, 0L, 0L);
    }

    @Test
    void conversionRatesGroupedAndCohortsByCaptureTime() {
        JsonNode all = http.get("/api/reports/conversion-rates", ANALYST).json();
        JsonNode february = http.get("/api/reports/conversion-rates?from=2026-02-01T00:00:00Z&groupBy=cohortMonth",
                ANALYST).json();

        assertThat(all.at("/groups/0/group").asText()).isEqualTo("all");
        assertThat(all.at("/groups/0/leadToCustomer/numerator").asLong()).isEqualTo(1);
        assertThat(all.at("/groups/0/leadToCustomer/denominator").asLong()).isEqualTo(3);
        assertThat(all.at("/groups/0/winRate/rate").asDouble()).isEqualTo(1.0);
        assertThat(february.get("groups")).hasSize(1);
        assertThat(february.at("/groups/0/group").asText()).isEqualTo("2026-02");
        assertThat(february.at("/groups/0/transitions/0/numerator").asLong()).isEqualTo(1);
        assertThat(february.at("/groups/0/transitions/0/denominator").asLong()).isEqualTo(2);
    }

    @Test
    void stageDurationsUseBusinessTime() {
        JsonNode durations = http.get("/api/reports/stage-durations?source=REFERRAL", ANALYST).json();

        JsonNode opportunity = durations.get("stages").get(3);
        assertThat(opportunity.get("stage").asText()).isEqualTo("OPPORTUNITY");
        assertThat(opportunity.get("count").asLong()).isEqualTo(1);
        assertThat(opportunity.get("maxSeconds").asDouble()).isEqualTo(10 * 86400.0);
        assertThat(durations.get("stages").get(4).get("openCount").asLong()).isEqualTo(1);
    }

    @Test
    void contactsByIdAndByList() {
        JsonNode contact = http.get("/api/contacts/" + customer, ANALYST).json();
        JsonNode webForm = http.get("/api/contacts?source=WEB_FORM&page=0&size=1", ANALYST).json();

        assertThat(contact.get("stage").asText()).isEqualTo("CUSTOMER");
        assertThat(contact.get("capturedAt").asText()).isEqualTo("2026-01-05T09:00:00Z");
        assertThat(contact.get("stageEnteredAt").asText()).isEqualTo("2026-01-19T09:00:00Z");
        assertThat(webForm.get("total").asLong()).isEqualTo(2);
        assertThat(webForm.get("items")).hasSize(1);
        assertThat(http.get("/api/contacts/" + customer, "auditor-dev-key").status()).isEqualTo(200);
    }

    @Test
    void everyReportAnswersCsvAndRefusesBadParameters() {
        for (String report : List.of("funnel", "conversion-rates", "stage-durations")) {
            Reply csv = http.get("/api/reports/" + report, ANALYST, Map.of("Accept", "text/csv"));
            Reply bad = http.get("/api/reports/" + report + "?asOf=yesterday", ANALYST);

            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.header("Content-Type")).startsWith("text/csv");
            assertThat(csv.text().lines().count()).isGreaterThan(1);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(http.get("/api/reports/funnel", SERVICE).status()).isEqualTo(403);
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NotAnUnknownContact() {
        Reply reply = http.get("/api/admin/dead-letters?limit=many", "admin-dev-key");

        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("errors").get(0).get("field").asText()).isEqualTo("limit");
    }

    @Test
    void rolesHoldForHeadAndOptionsAsForGet() {
        String contacts = "/api/contacts?stage=LEAD";
        String history = "/api/contacts/" + java.util.UUID.randomUUID() + "/history";
        for (String method : List.of("HEAD", "OPTIONS")) {
            assertThat(http.send(method, "/api/reports/funnel", SERVICE).status()).as(method).isEqualTo(403);
            assertThat(http.send(method, "/api/reports/funnel", "auditor-dev-key").status()).as(method).isEqualTo(403);
            assertThat(http.send(method, contacts, SERVICE).status()).as(method).isEqualTo(403);
            assertThat(http.send(method, history, ANALYST).status()).as(method).isEqualTo(403);
            assertThat(http.send(method, "/api/reports/funnel", null).status()).as(method).isEqualTo(401);
        }
        assertThat(http.send("HEAD", "/api/reports/funnel", ANALYST).status()).isEqualTo(200);
        assertThat(http.send("HEAD", contacts, "auditor-dev-key").status()).isEqualTo(200);
    }

    static List<Long> counts(JsonNode report, String field) {
        List<Long> counts = new ArrayList<>();
        report.get("stages").forEach(stage -> counts.add(stage.get(field).asLong()));
        return counts;
    }
}
