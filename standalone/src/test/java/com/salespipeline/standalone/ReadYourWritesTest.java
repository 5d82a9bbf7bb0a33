package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.nio.file.Path;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A read that follows a command's answer sees its effect, without polling. The projection is called back only ten
 * seconds after a commit here, so every read below that sees a command's effect made the projection look at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadYourWritesTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";

    @TempDir
    static Path dataDir;
    ConfigurableApplicationContext app;
    HttpClientSupport http;

    @BeforeAll
    void start() {
        app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir, "--pipeline.events.announce-delay-ms=10000",
                        "--pipeline.query.catch-up-timeout=2s");
        http = new HttpClientSupport("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void theLocationOfACapturedContactAnswersAtOnce() {
        Reply captured = capture(UUID.randomUUID().toString());

        Reply contact = http.get(captured.header("Location"), ANALYST);

        assertThat(contact.status()).as(contact.text()).isEqualTo(200);
        assertThat(contact.json().get("stage").asText()).isEqualTo("LEAD");
        assertThat(contact.header("Read-Model-Behind")).isNull();
    }

    @Test
    void reportsCountEveryCommandAnsweredBeforeThem() {
        String campaign = "ryw-" + UUID.randomUUID();
        String id = capture(campaign).json().get("contactId").asText();
        assertThat(http.post("/api/contacts/" + id + "/mark-mql", SERVICE, "{\"score\":60}").status()).isEqualTo(200);
        capture(campaign);

        Reply funnel = http.get("/api/reports/funnel?campaign=" + campaign, ANALYST);
        Reply list = http.get("/api/contacts?stage=MQL&campaign=" + campaign, ANALYST);
        Reply contact = http.get("/api/contacts/" + id, ANALYST);

        assertThat(funnel.json().at("/stages/0/reached").asLong()).as(funnel.text()).isEqualTo(2);
        assertThat(funnel.json().at("/stages/1/current").asLong()).as(funnel.text()).isEqualTo(1);
        assertThat(list.json().get("total").asLong()).as(list.text()).isEqualTo(1);
        assertThat(contact.json().get("version").asLong()).as(contact.text()).isEqualTo(1);
    }

    @Test
    void aReadModelThatCannotCatchUpStillAnswersAndSaysItIsBehind() {
        EventProcessor projection = app.getBean(EventProcessingConfiguration.class)
                .eventProcessor(LifecycleProjection.PROCESSING_GROUP).orElseThrow();
        projection.shutDown();
        try {
            Reply captured = capture(UUID.randomUUID().toString());

            Reply contact = http.get(captured.header("Location"), ANALYST);

            assertThat(contact.status()).as(contact.text()).isEqualTo(404);
            assertThat(contact.header("Read-Model-Behind")).isEqualTo("true");
        } finally {
            projection.start();
        }
        Reply funnel = http.get("/api/reports/funnel", ANALYST);
        assertThat(funnel.status()).isEqualTo(200);
        assertThat(funnel.header("Read-Model-Behind")).isNull();
    }

    Reply capture(String campaign) {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Someone\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"WEB_FORM\",\"campaign\":\"" + campaign + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }
}
