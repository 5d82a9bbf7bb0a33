package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The standalone app stopped and started again on the same data folder keeps everything it answered. */
class StandaloneRestartTest {

    static final String SERVICE = "service-dev-key";

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
    void contactsVersionsAndIdempotencyKeysSurviveARestart() {
        String capture = "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"source\":\"REFERRAL\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "import-0001");
        Reply first;
        String id;
        try (ConfigurableApplicationContext app = start()) {
            HttpClientSupport http = client(app);
            first = http.post("/api/contacts", SERVICE, capture, key);
            id = first.json().get("contactId").asText();
            http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
            assertThat(http.post("/api/contacts/" + id + "/qualify", SERVICE,
                    "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}").status()).isEqualTo(200);
        }

        try (ConfigurableApplicationContext app = start()) {
            HttpClientSupport http = client(app);
            Reply retried = http.post("/api/contacts", SERVICE, capture, key);
            Reply duplicate = http.post("/api/contacts", SERVICE, capture);
            Reply stale = http.post("/api/contacts/" + id + "/convert", SERVICE,
                    "{\"opportunityName\":\"Deal\",\"amount\":\"10\",\"currency\":\"EUR\"}", Map.of("If-Match", "\"1\""));
            Reply current = http.post("/api/contacts/" + id + "/convert", SERVICE,
                    "{\"opportunityName\":\"Deal\",\"amount\":\"10\",\"currency\":\"EUR\"}", Map.of("If-Match", "\"2\""));

            assertThat(retried.status()).isEqualTo(201);
            assertThat(retried.json()).isEqualTo(first.json());
            assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.json().get("existingContactId").asText()).isEqualTo(id);
            assertThat(stale.status()).isEqualTo(412);
            assertThat(current.status()).isEqualTo(200);
            assertThat(current.json().get("stage").asText()).isEqualTo("OPPORTUNITY");
            assertThat(current.json().get("version").asLong()).isEqualTo(3);
        }
    }
}
