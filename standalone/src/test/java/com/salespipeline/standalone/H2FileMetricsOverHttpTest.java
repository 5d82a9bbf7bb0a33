package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The standalone app's H2 file is watched through the metrics endpoint, as README's "Two ways to run" says. */
class H2FileMetricsOverHttpTest {

    static final String ADMIN = "admin-dev-key";

    @TempDir
    Path dataDir;

    @Test
    void theFileSizeAndItsLiveShareAreMetricsForTheAdmin() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            HttpClientSupport http = new HttpClientSupport("http://localhost:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort());
            for (int i = 0; i < 20; i++) {
                Reply captured = http.post("/api/contacts", "service-dev-key", "{\"name\":\"Someone\",\"email\":\"m"
                        + i + "@example.com\",\"source\":\"WEB_FORM\"}");
                assertThat(captured.status()).as(captured.text()).isEqualTo(201);
            }
            Path file = dataDir.resolve("pipeline.mv.db");

            // the compaction and the projection may write between the reads: the gauge lies between them
            long before = Files.size(file);
            Reply size = http.get("/actuator/metrics/pipeline.h2.file.size", ADMIN);
            long after = Files.size(file);
            Reply live = http.get("/actuator/metrics/pipeline.h2.file.live", ADMIN);

            assertThat(size.status()).as(size.text()).isEqualTo(200);
            assertThat(size.json().at("/baseUnit").asText()).isEqualTo("bytes");
            assertThat(size.json().at("/measurements/0/value").asDouble()).isBetween((double) before, (double) after);
            assertThat(live.status()).as(live.text()).isEqualTo(200);
            assertThat(live.json().at("/measurements/0/value").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(100);
            assertThat(http.get("/actuator/metrics/pipeline.h2.file.size", "analyst-dev-key").status()).isEqualTo(403);
        }
    }
}
