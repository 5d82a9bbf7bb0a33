package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A read that follows a command's answer sees its effect, without polling. The projection is called back only ten
 * seconds after a commit here, and its coordinator looks for work on its own only every ten (the app's one second
 * would let a read that did not make it look see the command within {@link #AT_ONCE} too), so every read below that
 * sees a command's effect within {@link #AT_ONCE} made the projection look at once. The wait's timeout is a minute,
 * so that a read that should not wait at all could not pass by waiting it out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadYourWritesTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";
    static final String AUDITOR = "auditor-dev-key";
    static final String ADMIN = "admin-dev-key";
    static final Duration AT_ONCE = Duration.ofSeconds(3);

    @TempDir
    static Path dataDir;
    ConfigurableApplicationContext app;
    HttpClientSupport http;

    @BeforeAll
    void start() {
        app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir, "--pipeline.events.announce-delay-ms=10000",
                        "--pipeline.query.catch-up-timeout=60s",
                        "--axon.eventhandling.processors.pipeline-projections.token-claim-interval=10000");
        http = new HttpClientSupport("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void theLocationOfACapturedContactAnswersAtOnce() {
        Reply captured = capture(UUID.randomUUID().toString());

        Reply contact = read(captured.header("Location"));

        assertThat(contact.status()).as(contact.text()).isEqualTo(200);
        assertThat(contact.json().get("stage").asText()).isEqualTo("LEAD");
        assertThat(contact.header("Read-Model-Behind")).isNull();
    }

    @Test
    void theContactsETagIsTheIfMatchOfItsNextCommand() {
        String location = capture(UUID.randomUUID().toString()).header("Location");
        String tag = read(location).header("ETag");
        assertThat(tag).isEqualTo("\"0\"");

        Reply onTheReadVersion = http.post(location + "/mark-mql", SERVICE, "{\"score\":60}", Map.of("If-Match", tag));
        Reply onAStaleVersion = http.post(location + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                Map.of("If-Match", tag));

        assertThat(onTheReadVersion.status()).as(onTheReadVersion.text()).isEqualTo(200);
        assertThat(onAStaleVersion.status()).as(onAStaleVersion.text()).isEqualTo(412);
        assertThat(read(location).header("ETag")).isEqualTo(onTheReadVersion.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void reportsCountEveryCommandAnsweredBeforeThem() {
        String campaign = "ryw-" + UUID.randomUUID();
        String id = capture(campaign).json().get("contactId").asText();
        assertThat(http.post("/api/contacts/" + id + "/mark-mql", SERVICE, "{\"score\":60}").status()).isEqualTo(200);
        capture(campaign);

        Reply funnel = read("/api/reports/funnel?campaign=" + campaign);
        Reply list = read("/api/contacts?stage=MQL&campaign=" + campaign);
        Reply contact = read("/api/contacts/" + id);

        assertThat(funnel.json().at("/stages/0/reached").asLong()).as(funnel.text()).isEqualTo(2);
        assertThat(funnel.json().at("/stages/1/current").asLong()).as(funnel.text()).isEqualTo(1);
        assertThat(list.json().get("total").asLong()).as(list.text()).isEqualTo(1);
        assertThat(contact.json().get("version").asLong()).as(contact.text()).isEqualTo(1);
        assertThat(List.of(funnel, list, contact)).allSatisfy(read ->
                assertThat(read.header("Read-Model-Behind")).as(read.text()).isNull());
    }

    @Test
    void aReadModelThatIsStoppedIsNotWaitedForAndReadsSayItIsBehind() throws InterruptedException {
        EventProcessor projection = app.getBean(EventProcessingConfiguration.class)
                .eventProcessor(LifecycleProjection.PROCESSING_GROUP).orElseThrow();
        projection.shutDown();
        try {
            Reply captured = capture(UUID.randomUUID().toString());

            Reply contact = read(captured.header("Location"));
            Reply history = http.get(captured.header("Location") + "/history", AUDITOR);

            assertThat(contact.status()).as(contact.text()).isEqualTo(404);
            assertThat(contact.header("Read-Model-Behind")).isEqualTo("true");
            // commands and the history, read from the event store, neither wait nor lack anything
            assertThat(captured.header("Read-Model-Behind")).isNull();
            assertThat(history.status()).as(history.text()).isEqualTo(200);
            assertThat(history.header("Read-Model-Behind")).isNull();
        } finally {
            projection.start();
        }
        Reply funnel = http.get("/api/reports/funnel", ANALYST);
        long deadline = System.currentTimeMillis() + 30_000;
        while (funnel.header("Read-Model-Behind") != null && System.currentTimeMillis() < deadline) {
            // the restarted processor claims its segment within moments; until then reads do not wait for it
            Thread.sleep(50);
            funnel = http.get("/api/reports/funnel", ANALYST);
        }
        assertThat(funnel.status()).isEqualTo(200);
        assertThat(funnel.header("Read-Model-Behind")).as("caught up once running again").isNull();
    }

    @Test
    void aRunningProjectionWithoutItsSegmentIsNotWaitedFor() throws InterruptedException {
        // as after a failed batch, or a restart while the claim of the app's former self has not expired
        StreamingEventProcessor projection = app.getBean(EventProcessingConfiguration.class)
                .eventProcessor(LifecycleProjection.PROCESSING_GROUP, StreamingEventProcessor.class).orElseThrow();
        // long enough for the capture and read below however slow the machine; claimed again at the first look after
        projection.releaseSegment(0, 5, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 45_000;
        while (!projection.processingStatus().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(projection.processingStatus()).as("the segment was released").isEmpty();
        Reply captured = capture(UUID.randomUUID().toString());

        Reply contact = read(captured.header("Location"));

        assertThat(projection.isRunning()).isTrue();
        assertThat(contact.header("Read-Model-Behind")).as(contact.text()).isEqualTo("true");
        Reply caughtUp = http.get(captured.header("Location"), ANALYST);
        while (caughtUp.header("Read-Model-Behind") != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            caughtUp = http.get(captured.header("Location"), ANALYST);
        }
        assertThat(caughtUp.status()).as("the segment claimed again, the read waits for it").isEqualTo(200);
        assertThat(caughtUp.header("Read-Model-Behind")).isNull();
    }

    @Test
    void whileAnEventIsParkedReadsSayTheReadModelLacksIt() {
        JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
        Reply captured = capture(UUID.randomUUID().toString());
        Reply other = capture(UUID.randomUUID().toString());
        String id = captured.json().get("contactId").asText();
        assertThat(http.get(captured.header("Location"), ANALYST).status()).isEqualTo(200);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM read_contact WHERE contact_id = ?", UUID.fromString(id));
        try {
            jdbc.update("DELETE FROM read_contact WHERE contact_id = ?", UUID.fromString(id));
            Reply engaged = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
            assertThat(engaged.status()).as(engaged.text()).isEqualTo(200);

            Reply funnel = http.get("/api/reports/funnel", ANALYST);
            Reply parked = http.get("/api/admin/dead-letters", ADMIN);
            Reply itself = http.get("/api/contacts/" + id, ANALYST);
            Reply itselfInCapitals = http.get("/api/contacts/" + id.toUpperCase(java.util.Locale.ROOT), ANALYST);
            Reply another = http.get(other.header("Location"), ANALYST);

            assertThat(parked.json().path("contacts").findValuesAsText("contactId")).as(parked.text()).containsExactly(id);
            assertThat(funnel.status()).isEqualTo(200);
            assertThat(funnel.header("Read-Model-Behind")).isEqualTo("true");
            assertThat(itself.header("Read-Model-Behind")).as("the contact lacks its parked event").isEqualTo("true");
            assertThat(itselfInCapitals.header("Read-Model-Behind")).as(itselfInCapitals.text()).isEqualTo("true");
            assertThat(another.status()).isEqualTo(200);
            assertThat(another.header("Read-Model-Behind")).as("another contact lacks nothing").isNull();
        } finally {
            // a retry would hold the contact for 30 s after its failure: the test puts things back by hand
            jdbc.update("DELETE FROM dead_letter_entry");
            insert(jdbc, "read_contact", row);
        }
        assertThat(http.get("/api/reports/funnel", ANALYST).header("Read-Model-Behind")).isNull();
    }

    static void insert(JdbcTemplate jdbc, String table, Map<String, Object> row) {
        jdbc.update("INSERT INTO " + table + " (" + String.join(", ", row.keySet()) + ") VALUES ("
                + String.join(", ", Collections.nCopies(row.size(), "?")) + ")", row.values().toArray());
    }

    /** A read of the read model, which has to answer long before the projection would look on its own. */
    Reply read(String path) {
        return assertTimeoutPreemptively(AT_ONCE, () -> http.get(path, ANALYST));
    }

    Reply capture(String campaign) {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Someone\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"WEB_FORM\",\"campaign\":\"" + campaign + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }
}
