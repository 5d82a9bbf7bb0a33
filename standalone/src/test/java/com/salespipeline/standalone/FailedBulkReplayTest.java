package com.salespipeline.standalone;

import static com.salespipeline.standalone.ReplayWhileServingTest.ADMIN;
import static com.salespipeline.standalone.ReplayWhileServingTest.awaitIdle;
import static com.salespipeline.standalone.ReplayWhileServingTest.awaitLeads;
import static com.salespipeline.standalone.ReplayWhileServingTest.capture;
import static com.salespipeline.standalone.ReplayWhileServingTest.funnel;
import static com.salespipeline.standalone.ReplayWhileServingTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.command.api.HttpClientSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A bulk replay that meets an event it cannot apply while its reading thread is lists of events ahead of the fold:
 * it fails naming the event, the serving generation keeps answering, the reading thread ends, and once the event
 * is repaired a replay rebuilds everything.
 */
class FailedBulkReplayTest {

    /** More than the reading thread holds ahead of the fold (two lists of 500 events) and the one it fills. */
    private static final int COPIED_LEADS = 1_600;

    @TempDir
    Path dataDir;

    @Test
    void anEventTheFoldCannotApplyFailsTheReplayWithoutStoppingTheServingGenerationOrTheNextReplay()
            throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir)) {
            HttpClientSupport http = new HttpClientSupport("http://localhost:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String campaign = "failed-replay-" + UUID.randomUUID();
            String lead = capture(http, campaign);
            send(http, lead, "mark-mql", "{\"score\":70}");
            // leads stored as captures are, each its own contact, so that the history is longer than the read ahead
            jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                    + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                    + " SELECT CAST(RANDOM_UUID() AS VARCHAR), copy.id, 0, e.type, e.time_stamp, e.payload_type,"
                    + " e.payload_revision, REPLACE(e.payload, e.aggregate_identifier, copy.id), e.meta_data"
                    + " FROM domain_event_entry e, (SELECT CAST(RANDOM_UUID() AS VARCHAR) id FROM SYSTEM_RANGE(1, ?))"
                    + " copy WHERE e.aggregate_identifier = ? AND e.sequence_number = 0", COPIED_LEADS, lead);
            awaitLeads(http, campaign, COPIED_LEADS + 1);
            JsonNode before = counts(http, campaign);

            // a contact's MQL without its capture, first in the sorted history: the fold fails on its first event
            String orphan = "00000000-0000-4000-8000-000000000000";
            String orphanEvent = UUID.randomUUID().toString();
            jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                    + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                    + " SELECT ?, ?, 0, type, time_stamp, payload_type, payload_revision,"
                    + " REPLACE(payload, aggregate_identifier, ?), meta_data"
                    + " FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1",
                    orphanEvent, orphan, orphan, lead);

            assertThat(http.post("/api/admin/replay", ADMIN, "{}").status()).isEqualTo(202);
            JsonNode failed = awaitIdle(http, new ArrayList<>());
            assertThat(failed.path("failure").asText()).as(failed.toString()).contains(orphanEvent);
            assertThat(readingThreads()).as("the replay's reading thread ended with it").isEmpty();
            assertThat(counts(http, campaign)).as("the serving generation answers as before").isEqualTo(before);

            // repaired where it is stored (deleting it would leave the history short of the live projection, which
            // parked it, and the replay would rightly refuse to switch): the orphan's capture
            for (String column : List.of("payload_type", "payload_revision", "payload")) {
                assertThat(jdbc.update("UPDATE domain_event_entry SET " + column + " = (SELECT REPLACE(" + column
                        + ", aggregate_identifier, ?) FROM domain_event_entry WHERE aggregate_identifier = ? AND"
                        + " sequence_number = 0) WHERE event_identifier = ?", orphan, lead, orphanEvent)).isEqualTo(1);
            }
            assertThat(http.post("/api/admin/replay", ADMIN, "{}").status()).isEqualTo(202);
            JsonNode rebuilt = awaitIdle(http, new ArrayList<>());
            assertThat(rebuilt.path("failure").isNull()).as(rebuilt.toString()).isTrue();
            assertThat(rebuilt.path("generation").asText()).isNotEqualTo(failed.path("generation").asText());
            JsonNode after = counts(http, campaign);
            assertThat(after.at("/stages/0/reached").asLong()).as("every lead once, the orphan now too: " + after)
                    .isEqualTo(COPIED_LEADS + 2);
            assertThat(after.at("/stages/1/reached").asLong()).as(after.toString()).isEqualTo(1);
            assertThat(before.at("/stages/0/reached").asLong()).isEqualTo(COPIED_LEADS + 1);
        }
    }

    /** The funnel's stages and exits, without the time it was asked at. */
    private static JsonNode counts(HttpClientSupport http, String campaign) {
        ObjectNode funnel = (ObjectNode) funnel(http, campaign);
        funnel.remove("asOf");
        return funnel;
    }

    private static List<String> readingThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.equals("replay-read")).toList();
    }
}
