package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A process killed while its projection held the segment leaves the claim in {@code token_entry}. The app started
 * again on that data is healthy only once its projection follows the store, and from then on a read counts what
 * was stored before it: the claim is not waited out.
 */
class KilledProcessClaimTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";

    @TempDir
    Path dataDir;

    ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir);
    }

    static HttpClientSupport client(ConfigurableApplicationContext app) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return new HttpClientSupport("http://localhost:" + port);
    }

    @Test
    void aClaimLeftByAKilledProcessIsNotWaitedOut() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            assertThat(client(app).post("/api/contacts", SERVICE,
                    "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"source\":\"REFERRAL\"}").status()).isEqualTo(201);
        }
        // what a kill -9 leaves: the segment owned by a process that is gone; dated far ahead, so that only
        // releasing it, never its expiry, lets the projection in
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("pipeline"), "sa", "");
             Statement statement = h2.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE token_entry SET owner = '4242@killed-host',"
                    + " timestamp = '2999-01-01T00:00:00Z'")).isPositive();
        }

        try (ConfigurableApplicationContext app = start()) {
            HttpClientSupport http = client(app);
            assertThat(app.getBean(ClaimsOfAKilledProcess.class).released()).isPositive();
            awaitHealthy(http);

            Reply captured = http.post("/api/contacts", SERVICE,
                    "{\"name\":\"Grace\",\"email\":\"grace@example.com\",\"source\":\"WEB_FORM\"}");
            assertThat(captured.status()).isEqualTo(201);
            Reply read = http.get(captured.header("Location"), ANALYST);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.header("Read-Model-Behind")).isNull();
            Reply funnel = http.get("/api/reports/funnel", ANALYST);
            assertThat(funnel.json().at("/stages/0/reached").asLong()).isEqualTo(2);
            assertThat(funnel.header("Read-Model-Behind")).isNull();
        }
    }

    static void awaitHealthy(HttpClientSupport http) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.get("/actuator/health", null).status() != 200) {
            assertThat(System.nanoTime()).as("healthy within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
