package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.command.api.HttpClientSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Development keys exist only in the standalone default profile; elsewhere keys must be configured. */
class ApiKeyProfilesTest {

    @TempDir
    Path dataDir;

    @Test
    void anyOtherProfileWithoutConfiguredKeysRefusesToStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(StandaloneApplication.class).profiles("production")
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir).close())
                .rootCause().hasMessageContaining("no API keys configured");
    }

    @Test
    void configuredKeysReplaceTheDevelopmentKeys() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .profiles("production")
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir, "--pipeline.api-keys=s3cret-service=SERVICE")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
            String body = "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"source\":\"AD\"}";

            assertThat(http.post("/api/contacts", "service-dev-key", body).status()).isEqualTo(401);
            assertThat(http.post("/api/contacts", "s3cret-service", body).status()).isEqualTo(201);
        }
    }
}
