package com.salespipeline.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.ConcurrentClients;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole command path on a real PostgreSQL server (embedded binaries, started by the test). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PostgresCommandPathTest {

    static final String SERVICE = "service-dev-key";
    static EmbeddedPostgres postgres;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    HttpClientSupport http;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void client() {
        http = new HttpClientSupport("http://localhost:" + port);
    }

    @Test
    void aLeadWalksToCustomerAndEveryEventIsReadableJsonInSql() {
        String id = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"WEBINAR\"}").json().get("contactId").asText();
        http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"MEETING_HELD\"}");
        http.post("/api/contacts/" + id + "/qualify", SERVICE,
                "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
        http.post("/api/contacts/" + id + "/convert", SERVICE,
                "{\"opportunityName\":\"Deal\",\"amount\":\"5000.50\",\"currency\":\"USD\"}");
        Reply won = http.post("/api/contacts/" + id + "/close-won", SERVICE, "{}");

        assertThat(won.status()).isEqualTo(200);
        assertThat(won.json().get("stage").asText()).isEqualTo("CUSTOMER");
        List<String> stages = jdbc.queryForList("SELECT payload::jsonb ->> 'toStage' FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number", String.class, id);
        assertThat(stages).containsExactly("LEAD", null, "PROSPECT", "OPPORTUNITY", "CUSTOMER");
        String amount = jdbc.queryForObject("SELECT payload::jsonb -> 'amount' ->> 'amount' FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = 4", String.class, id);
        assertThat(amount).isEqualTo("5000.50");
        String payloadType = jdbc.queryForObject("SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'domain_event_entry' AND column_name = 'payload'", String.class);
        assertThat(payloadType).isEqualTo("text");
    }

    @Test
    void theGlobalIndexHasNoPreallocationGaps() {
        long first = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry", Long.class);
        for (int i = 0; i < 5; i++) {
            http.post("/api/contacts", SERVICE, "{\"name\":\"N" + i + "\",\"email\":\"" + UUID.randomUUID()
                    + "@example.com\",\"source\":\"AD\"}");
        }

        List<Long> indexes = jdbc.queryForList("SELECT global_index FROM domain_event_entry WHERE global_index > ?"
                + " ORDER BY global_index", Long.class, first);
        assertThat(indexes).containsExactlyElementsOf(LongStream.rangeClosed(first + 1, first + 5).boxed().toList());
    }

    /**
     * A refused command rolls back to its own savepoint only. The batch is made by holding a contact's chain head in
     * the test's own transaction: the committer waits on it with that contact's command, the two commands below
     * queue up behind it (two waiting, as the committer's gauge says), and both go into the next batch.
     */
    @Test
    void refusalsStoreNothingAndABatchWithARefusalStillCommitsTheOthers() throws Exception {
        String held = capture();
        String lead = capture();
        String other = capture();
        long before = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        String refusalKey = "pg-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        Future<Reply> heldReply;
        Future<Reply> refused;
        Future<Reply> accepted;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("SELECT 1 FROM event_chain_head WHERE aggregate_identifier = '" + held + "' FOR UPDATE");
            }
            heldReply = clients.submit(() -> engage(held));
            awaitUntil(() -> jdbc.queryForObject("SELECT COUNT(*) FROM pg_locks WHERE NOT granted", Long.class) > 0);
            refused = clients.submit(() -> http.post("/api/contacts/" + lead + "/convert", SERVICE,
                    "{\"opportunityName\":\"Deal\",\"amount\":\"1\",\"currency\":\"EUR\"}",
                    Map.of("Idempotency-Key", refusalKey)));
            accepted = clients.submit(() -> engage(other));
            awaitUntil(() -> waitingCommands() == 2);
            lock.rollback();
        } finally {
            clients.shutdown();
        }

        assertThat(heldReply.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(refused.get(30, TimeUnit.SECONDS).status()).isEqualTo(409);
        assertThat(accepted.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class)).isEqualTo(before + 2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, lead)).as("the refused contact's events").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT problem IS NOT NULL FROM idempotency_record WHERE idempotency_key = ?",
                Boolean.class, refusalKey)).as("the refusal kept for its key, in the batch's transaction").isTrue();
    }

    String capture() {
        Reply captured = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"AD\"}");
        assertThat(captured.status()).as(captured.text()).isEqualTo(201);
        return captured.json().get("contactId").asText();
    }

    Reply engage(String id) {
        return http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
    }

    long waitingCommands() {
        Reply gauge = http.get("/actuator/metrics/pipeline.commands.waiting", "admin-dev-key");
        assertThat(gauge.status()).as(gauge.text()).isEqualTo(200);
        return gauge.json().at("/measurements/0/value").asLong();
    }

    static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void idempotencyKeysAndDuplicateEmailsHoldOnPostgres() {
        String email = UUID.randomUUID() + "@Example.com";
        String body = "{\"name\":\"Ada\",\"email\":\"" + email + "\",\"source\":\"AD\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "pg-" + UUID.randomUUID());
        Reply first = http.post("/api/contacts", SERVICE, body, key);
        Reply retry = http.post("/api/contacts", SERVICE, body, key);
        Reply duplicate = http.post("/api/contacts", SERVICE, body.replace(email, email.toLowerCase()));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("existingContactId").asText()).isEqualTo(first.json().get("contactId").asText());
    }

    @Test
    void aRefusalIsKeptForItsIdempotencyKeyOnPostgres() {
        String id = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"AD\"}").json().get("contactId").asText();
        Map<String, String> key = Map.of("Idempotency-Key", "pg-" + UUID.randomUUID());
        String qualify = "{\"budget\":\"50k\",\"authority\":\"CTO\",\"need\":\"reporting\",\"timeline\":\"Q3\"}";
        Reply refused = http.post("/api/contacts/" + id + "/qualify", SERVICE, qualify, key);
        http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");

        Reply retried = http.post("/api/contacts/" + id + "/qualify", SERVICE, qualify, key);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.json()).isEqualTo(refused.json());
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(jdbc.queryForObject("SELECT problem IS NOT NULL AND contact_id IS NULL FROM idempotency_record"
                + " WHERE idempotency_key = ?", Boolean.class, key.get("Idempotency-Key"))).isTrue();
    }

    @Test
    void concurrentClientsOnOneContactNeverLoseAnUpdate() throws Exception {
        ConcurrentClients.assertNoLostUpdates(http, jdbc);
    }
}
