package com.salespipeline.benchmarks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import com.salespipeline.benchmarks.app.StandaloneApp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The append levels' clients against the packaged standalone app, with ids of either chooser: every command
 * accepted, and contacts walked on by the id that was used (their own, or the one the server answered).
 */
class AppendScenarioIT {

    @TempDir
    Path dir;

    @Test
    void clientsWalkContactsWithTheirOwnIdsOrTheServers() throws Exception {
        Path jar = Path.of(System.getProperty("standalone.jar", "../standalone/target/pipeline-standalone.jar"));
        try (StandaloneApp app = StandaloneApp.start(jar, dir, Map.of("PIPELINE_DATA_DIR", dir.resolve("data")
                .toString()), "512m", Progress.onStderr());
             ApiClient api = new ApiClient(app.baseUrl(), 8)) {
            app.awaitHealthy(api, 180);

            AppendScenario.Level serverIds = new AppendScenario(api, "server", true).run(4, 2, Progress.onStderr());
            Instant between = Instant.now();
            AppendScenario.Level clientIds = new AppendScenario(api, "client", false).run(4, 2, Progress.onStderr());

            for (AppendScenario.Level level : List.of(serverIds, clientIds)) {
                assertThat(level.errors()).isZero();
                // six commands take a contact from capture to customer
                assertThat(level.commands()).isGreaterThanOrEqualTo(6);
            }
            assertThat(customers(api, "to=" + between)).isNotEmpty()
                    .allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
            assertThat(customers(api, "from=" + between)).isNotEmpty()
                    .allSatisfy(id -> assertThat(id.version()).isEqualTo(4));
        }
    }

    /** The first ids of the contacts captured in a range that are customers now: walked through every step. */
    private static List<UUID> customers(ApiClient api, String captured) {
        ApiClient.Reply reply = api.get("/api/contacts?stage=CUSTOMER&size=200&" + captured, ApiClient.ANALYST);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<UUID> ids = new ArrayList<>();
        for (JsonNode item : reply.json().get("items")) {
            ids.add(UUID.fromString(item.get("contactId").asText()));
        }
        return ids;
    }
}
