package com.salespipeline.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The distributed setup with the real pieces ({@link DistributedPipeline}): commands in over HTTP, reports out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedPipelineIT {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";

    @TempDir
    static Path directory;
    DistributedPipeline pipeline;
    EmbeddedPostgres postgres;
    KafkaBrokerProcess kafka;
    HttpClientSupport commands;
    HttpClientSupport queries;

    @BeforeAll
    void startEverything() throws Exception {
        pipeline = DistributedPipeline.start(directory);
        postgres = pipeline.postgres();
        kafka = pipeline.kafka();
        commands = pipeline.commands();
        queries = pipeline.queries();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void commandsInExactReportsOut() throws Exception {
        String campaign = "e2e-" + UUID.randomUUID();
        Map<String, Long> versions = new LinkedHashMap<>();
        String won = capture(campaign, "WEB_FORM");
        send(won, "engagements", "{\"type\":\"CALL_HELD\"}");
        send(won, "qualify", "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
        send(won, "convert", "{\"opportunityName\":\"Deal\",\"amount\":\"100.00\",\"currency\":\"EUR\"}");
        versions.put(won, send(won, "close-won", "{}"));
        String disqualified = capture(campaign, "WEB_FORM");
        send(disqualified, "mark-mql", "{\"score\":70}");
        versions.put(disqualified, send(disqualified, "disqualify", "{\"reason\":\"NO_BUDGET\"}"));
        String lost = capture(campaign, "AD");
        send(lost, "engagements", "{\"type\":\"MEETING_HELD\"}");
        send(lost, "qualify", "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
        send(lost, "convert", "{\"opportunityName\":\"Deal\",\"amount\":\"50.00\",\"currency\":\"EUR\"}");
        versions.put(lost, send(lost, "close-lost", "{\"reason\":\"competitor\"}"));
        String lead = capture(campaign, "AD");
        versions.put(lead, 0L);

        awaitVersions(versions);
        JsonNode funnel = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();
        JsonNode strict = queries.get("/api/reports/funnel?mode=strict&campaign=" + campaign, ANALYST).json();
        JsonNode rates = queries.get("/api/reports/conversion-rates?groupBy=source&campaign=" + campaign, ANALYST).json();

        assertThat(stageCounts(funnel, "reached")).containsExactly(4L, 3L, 2L, 2L, 1L, 0L);
        assertThat(stageCounts(funnel, "current")).containsExactly(1L, 0L, 0L, 0L, 1L, 0L);
        assertThat(funnel.at("/exits/DISQUALIFIED").asLong()).isEqualTo(1);
        assertThat(funnel.at("/exits/LOST").asLong()).isEqualTo(1);
        assertThat(stageCounts(strict, "reached")).containsExactly(4L, 1L, 2L, 2L, 1L, 0L);
        Map<String, JsonNode> bySource = new HashMap<>();
        rates.get("groups").forEach(group -> bySource.put(group.get("group").asText(), group));
        assertThat(bySource.keySet()).containsExactlyInAnyOrder("WEB_FORM", "AD");
        assertThat(bySource.get("WEB_FORM").at("/winRate/numerator").asLong()).isEqualTo(1);
        assertThat(bySource.get("WEB_FORM").at("/winRate/denominator").asLong()).isEqualTo(1);
        assertThat(bySource.get("AD").at("/winRate/numerator").asLong()).isZero();
        assertThat(bySource.get("AD").at("/winRate/denominator").asLong()).isEqualTo(1);
        assertThat(bySource.get("AD").at("/leadToCustomer/denominator").asLong()).isEqualTo(2);
        assertThat(queries.get("/api/contacts/" + won, ANALYST).json().get("stage").asText()).isEqualTo("CUSTOMER");
    }

    @Test
    void eventsSentWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
        String campaign = "outage-" + UUID.randomUUID();
        kafka.kill();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            String id = capture(campaign, "EVENT");
            versions.put(id, send(id, "engagements", "{\"type\":\"EMAIL_OPENED\"}"));
        }
        long asked = System.nanoTime();
        Reply replay = queries.post("/api/admin/replay", "admin-dev-key", "{}");
        long answeredMillis = (System.nanoTime() - asked) / 1_000_000;
        JsonNode replayStatus = queries.get("/api/admin/replay", "admin-dev-key").json();
        kafka.start();

        // no history to read from: a clear 503 within the replay's wait for the topic's head, and no replay begun
        assertThat(replay.status()).as(replay.text()).isEqualTo(503);
        assertThat(replay.json().get("type").asText()).endsWith("event-history-unavailable");
        assertThat(replay.header("Retry-After")).isEqualTo("30");
        assertThat(answeredMillis).isLessThan(30_000);
        assertThat(replayStatus.get("state").asText()).isEqualTo("IDLE");
        awaitVersions(versions);
        JsonNode funnel = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();
        JsonNode listed = queries.get("/api/contacts?size=100&stage=LEAD&source=EVENT", ANALYST).json();

        assertThat(stageCounts(funnel, "reached").get(0)).isEqualTo(20L);
        assertThat(stageCounts(funnel, "current").get(0)).isEqualTo(20L);
        long ours = 0;
        for (JsonNode item : listed.get("items")) {
            ours += versions.containsKey(item.get("contactId").asText()) ? 1 : 0;
        }
        assertThat(ours).isEqualTo(20);
    }

    @Test
    void aQuerySideStartedWhileTheBrokerIsDownServesItsReadModelAndFollowsOnceItIsBack() throws Exception {
        String campaign = "restart-" + UUID.randomUUID();
        Map<String, Long> before = new LinkedHashMap<>();
        before.put(capture(campaign, "AD"), 0L);
        awaitVersions(before);

        kafka.kill();
        pipeline.restartQuerySide();
        JsonNode funnel = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();
        Map<String, Long> during = new LinkedHashMap<>();
        during.put(capture(campaign, "AD"), 0L);
        kafka.start();

        // it started (health 200) with no broker, and answered from the read model it had
        assertThat(stageCounts(funnel, "reached").get(0)).isEqualTo(1L);
        awaitVersions(during);
        JsonNode after = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();
        assertThat(stageCounts(after, "reached").get(0)).isEqualTo(2L);
    }

    @Test
    void aReplayFromTheTopicRebuildsTheSameReports() throws Exception {
        String campaign = "replay-" + UUID.randomUUID();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            String id = capture(campaign, "SOCIAL");
            versions.put(id, i % 2 == 0 ? send(id, "mark-mql", "{\"score\":40}") : 0L);
        }
        awaitVersions(versions);
        JsonNode before = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();

        Reply started = queries.post("/api/admin/replay", "admin-dev-key", "{}");
        JsonNode status = queries.get("/api/admin/replay", "admin-dev-key").json();
        long deadline = System.currentTimeMillis() + 90_000;
        while (!status.get("state").asText().equals("IDLE") || status.get("finishedAt").isNull()) {
            assertThat(System.currentTimeMillis()).as("replay finished").isLessThan(deadline);
            Thread.sleep(200);
            status = queries.get("/api/admin/replay", "admin-dev-key").json();
        }
        JsonNode after = queries.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();

        assertThat(started.status()).as(started.text()).isEqualTo(202);
        assertThat(status.get("failure").isNull()).as(status.toString()).isTrue();
        assertThat(status.get("generation").asText()).isEqualTo("b");
        // the topic held at least the 15 events sent above when the replay started (Axon's head token leaves out a
        // partition that holds a single record: at most one of each of the 3 partitions), and the replay applied them
        assertThat(status.get("total").asLong()).isGreaterThanOrEqualTo(15 - 3);
        assertThat(status.get("processed").asLong()).isGreaterThanOrEqualTo(status.get("total").asLong());
        assertThat(after.get("stages")).isEqualTo(before.get("stages"));
        assertThat(stageCounts(after, "reached")).containsExactly(10L, 5L, 0L, 0L, 0L, 0L);
        // a replay that took a record's token for how far it had read, in Axon's timestamp-sorted buffer, could
        // switch to a read model missing records still buffered (ArrivalOrderBufferTest)
        assertThat(Files.readString(pipeline.querySideLog())).contains("the Kafka source hands records out in fetch order");
    }

    /**
     * The history is in Kafka, the read models in the query side's database: with the database gone, a replay used to
     * be accepted (202, the history answered) and then failed at its first write, leaving a failure in the status.
     */
    @Test
    void aReplayAskedWhileTheReadModelsDatabaseIsGoneIsRefusedAndStartsNothing() throws Exception {
        JsonNode before = queries.get("/api/admin/replay", "admin-dev-key").json();
        Reply refused;
        long tookMs;
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            sql.execute("ALTER DATABASE query ALLOW_CONNECTIONS false");
            try {
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'query'");
                awaitNoConnectionTo(sql, "query");
                long started = System.currentTimeMillis();
                refused = queries.post("/api/admin/replay", "admin-dev-key", "{}");
                tookMs = System.currentTimeMillis() - started;
            } finally {
                sql.execute("ALTER DATABASE query ALLOW_CONNECTIONS true");
            }
        }
        JsonNode after = queries.get("/api/admin/replay", "admin-dev-key").json();

        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(tookMs).as("answered once the pool gave up waiting").isLessThan(
                3 * DistributedPipeline.QUERY_SIDE_CONNECTION_TIMEOUT_MS);
        assertThat(after).as("no replay started, and none failed").isEqualTo(before);
    }

    @Test
    void aContactWhoseEventCannotBeAppliedIsParkedAndTheOthersKeepFlowing() throws Exception {
        String campaign = "poison-" + UUID.randomUUID();
        String poisoned = capture(campaign, "WEB_FORM");
        String healthy = capture(campaign, "WEB_FORM");
        awaitVersions(Map.of(poisoned, 0L, healthy, 0L));
        int deleted = 0;
        try (Connection connection = postgres.getDatabase("postgres", "query").getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM read_contact WHERE contact_id = ?");
             PreparedStatement deleteB = connection.prepareStatement(
                     "DELETE FROM read_contact_b WHERE contact_id = ?")) {
            for (PreparedStatement statement : List.of(delete, deleteB)) {
                statement.setObject(1, UUID.fromString(poisoned));
                deleted += statement.executeUpdate();
            }
        }
        assertThat(deleted).as("the poisoned contact's row was removed from the query database").isPositive();

        send(poisoned, "engagements", "{\"type\":\"CALL_HELD\"}");
        long healthyVersion = send(healthy, "mark-mql", "{\"score\":70}");
        awaitVersions(Map.of(healthy, healthyVersion));

        JsonNode parked = queries.get("/api/admin/dead-letters", "admin-dev-key").json();
        long deadline = System.currentTimeMillis() + 30_000;
        while (parked.path("parkedEvents").asLong() == 0) {
            assertThat(System.currentTimeMillis()).as("the event was parked: " + parked).isLessThan(deadline);
            Thread.sleep(200);
            parked = queries.get("/api/admin/dead-letters", "admin-dev-key").json();
        }
        assertThat(parked.path("contacts").findValuesAsText("contactId")).containsExactly(poisoned);
        assertThat(parked.at("/contacts/0/events/0/type").asText()).isEqualTo("EngagementRecorded");
        assertThat(queries.get("/api/contacts/" + healthy, ANALYST).json().get("stage").asText()).isEqualTo("MQL");
    }

    String capture(String campaign, String source) {
        Reply reply = commands.post("/api/contacts", SERVICE, "{\"name\":\"E2E Contact\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"" + source + "\",\"campaign\":\"" + campaign + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }

    long send(String id, String action, String body) {
        Reply reply = commands.post("/api/contacts/" + id + "/" + action, SERVICE, body);
        assertThat(reply.status()).as(action + ": " + reply.text()).isEqualTo(200);
        return reply.json().get("version").asLong();
    }

    /** pg_terminate_backend only signals a backend: wait until every one of the database has gone. */
    static void awaitNoConnectionTo(Statement sql, String database) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (java.sql.ResultSet left = sql.executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'")) {
                left.next();
                if (left.getLong(1) == 0) {
                    return;
                }
            }
            assertThat(System.currentTimeMillis()).as("connections to " + database + " gone").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until the query side shows every contact at exactly the version the command side answered. */
    void awaitVersions(Map<String, Long> versions) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        Predicate<Map.Entry<String, Long>> caughtUp = contact -> {
            Reply reply = queries.get("/api/contacts/" + contact.getKey(), ANALYST);
            return reply.status() == 200 && reply.json().get("version").asLong() == contact.getValue();
        };
        while (!versions.entrySet().stream().allMatch(caughtUp)) {
            assertThat(System.currentTimeMillis()).as("query side caught up within 90 s").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    static java.util.List<Long> stageCounts(JsonNode report, String field) {
        java.util.List<Long> counts = new java.util.ArrayList<>();
        report.get("stages").forEach(stage -> counts.add(stage.get(field).asLong()));
        return counts;
    }
}
