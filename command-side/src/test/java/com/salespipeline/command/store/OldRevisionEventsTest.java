package com.salespipeline.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** A contact whose LeadCaptured was stored at revision 1 (before the name split) still takes commands. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:old-revisions;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class OldRevisionEventsTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRevision1LeadIsUpcastWhenTheAggregateLoads() throws IOException {
        String id = "7b1e6a52-0c1d-4f6e-9a51-3f1f0a1c2d01";
        String stored;
        try (InputStream in = getClass().getResourceAsStream("/contract/v1/LeadCaptured.json")) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload_revision, payload, meta_data) VALUES (?, ?, 0, 'Contact',"
                        + " '2026-03-01T09:30:01.000Z', 'com.salespipeline.events.LeadCaptured', '1', ?, '{\"actor\":\"import\"}')",
                UUID.randomUUID().toString(), id, stored);
        jdbc.update("INSERT INTO contact_registry (contact_id, email_key) VALUES (?, 'ada@example.com')", UUID.fromString(id));
        HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);

        Reply engaged = http.post("/api/contacts/" + id + "/engagements", "service-dev-key", "{\"type\":\"CALL_HELD\"}");
        Reply history = http.get("/api/contacts/" + id + "/history", "auditor-dev-key");

        assertThat(engaged.status()).as(engaged.text()).isEqualTo(200);
        assertThat(engaged.json().get("version").asLong()).isEqualTo(1);
        // the history shows what is stored: the old revision stays as it was written
        assertThat(history.json().at("/events/0/revision").asInt()).isEqualTo(1);
        assertThat(history.json().at("/events/0/payload/name").asText()).isEqualTo("Ada Lovelace");
        assertThat(history.json().at("/events/1/type").asText()).isEqualTo("EngagementRecorded");
    }
}
