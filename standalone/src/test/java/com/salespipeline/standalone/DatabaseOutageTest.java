package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stopped under the running app and started again: every request meanwhile is a 503 problem with
 * {@code Retry-After} once the pool gives up waiting (helper-41 saw reads, the history and the dead letters answer a
 * bare 500), and afterwards the app serves again without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {

    static final String SERVICE = "service-dev-key";
    /**
     * The apps wait the pool's default 30 s for a connection (README, "When the database cannot be reached"); 2 s
     * here, to keep the test short. A read may wait twice (whether the read model is behind, then the read itself).
     */
    static final int CONNECTION_TIMEOUT_MS = 2_000;
    static final long PROMPTLY_MS = 3 * CONNECTION_TIMEOUT_MS;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path postgresDir;
    int postgresPort;
    EmbeddedPostgres postgres;
    ConfigurableApplicationContext app;
    HttpClientSupport http;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            postgresPort = free.getLocalPort();
        }
        postgres = startPostgres();
        app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir,
                        "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "--spring.datasource.username=postgres", "--spring.datasource.password=",
                        "--spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT_MS);
        http = new HttpClientSupport("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    EmbeddedPostgres startPostgres() throws Exception {
        return EmbeddedPostgres.builder().setPort(postgresPort).setDataDirectory(postgresDir)
                .setCleanDataDirectory(false).start();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        postgres.close();
    }

    @Test
    void whileTheDatabaseIsGoneEveryRequestIsAPrompt503AndAfterwardsTheAppServesAgain() throws Exception {
        String before = capture();
        postgres.close();

        Map<String, Supplier<Reply>> requests = new LinkedHashMap<>();
        requests.put("a command", () -> http.post("/api/contacts/" + before + "/engagements", SERVICE,
                "{\"type\":\"CALL_HELD\"}"));
        requests.put("a contact", () -> http.get("/api/contacts/" + before, "analyst-dev-key"));
        requests.put("the funnel", () -> http.get("/api/reports/funnel", "analyst-dev-key"));
        requests.put("the contact list", () -> http.get("/api/contacts?stage=LEAD", "analyst-dev-key"));
        requests.put("the history", () -> http.get("/api/contacts/" + before + "/history", "auditor-dev-key"));
        requests.put("its verification", () -> http.get("/api/contacts/" + before + "/history/verify",
                "auditor-dev-key"));
        requests.put("the dead letters", () -> http.get("/api/admin/dead-letters", "admin-dev-key"));
        for (Map.Entry<String, Supplier<Reply>> request : requests.entrySet()) {
            long started = System.currentTimeMillis();
            Reply reply = request.getValue().get();
            long tookMs = System.currentTimeMillis() - started;

            assertThat(reply.status()).as(request.getKey() + ": " + reply.text()).isEqualTo(503);
            assertThat(reply.header("Content-Type")).as(request.getKey()).startsWith("application/problem+json");
            assertThat(reply.header("Retry-After")).as(request.getKey()).isNotNull();
            assertThat(tookMs).as(request.getKey() + " answered within").isLessThan(PROMPTLY_MS);
        }
        long started = System.currentTimeMillis();
        Reply health = http.get("/actuator/health", null);
        assertThat(health.status()).as(health.text()).isEqualTo(503);
        assertThat(System.currentTimeMillis() - started).as("health answered within").isLessThan(PROMPTLY_MS);

        postgres = startPostgres();

        long deadline = System.currentTimeMillis() + 60_000;
        Reply engaged = http.post("/api/contacts/" + before + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
        while (engaged.status() == 503 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            engaged = http.post("/api/contacts/" + before + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
        }
        assertThat(engaged.status()).as(engaged.text()).isEqualTo(200);
        assertThat(engaged.json().get("version").asLong()).as("nothing of the refused command stored").isEqualTo(1);
        String after = capture();
        // the projection, failing while the database was gone, tries again after a pause that doubled meanwhile (up
        // to a minute, README): until then reads answer from what the read model holds, marked behind
        Reply read = http.get("/api/contacts/" + after, "analyst-dev-key");
        while (read.header("Read-Model-Behind") != null && System.currentTimeMillis() < deadline + 30_000) {
            Thread.sleep(200);
            read = http.get("/api/contacts/" + after, "analyst-dev-key");
        }
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("stage").asText()).isEqualTo("LEAD");
        assertThat(http.get("/api/contacts/" + before, "analyst-dev-key").json().get("version").asLong()).isEqualTo(1);
        assertThat(http.get("/api/contacts/" + before + "/history/verify", "auditor-dev-key").json()
                .get("intact").asBoolean()).isTrue();
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }

    String capture() {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Someone\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"WEB_FORM\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }
}
