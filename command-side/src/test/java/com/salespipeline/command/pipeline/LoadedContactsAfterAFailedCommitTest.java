package com.salespipeline.command.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.ActiveProfiles;

/**
 * Contacts stay loaded in memory between commands. When a batch's commit fails, or a command is rolled back to its
 * savepoint after its events were applied, those events are not stored, and the next command must start from what
 * is stored: the same version, the next sequence number, an unbroken chain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:failed-commit;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class LoadedContactsAfterAFailedCommitTest {

    private static final String SERVICE = "service-dev-key";
    private static final AtomicBoolean FAIL_NEXT_BATCH = new AtomicBoolean();
    private static final AtomicBoolean FAIL_NEXT_IDEMPOTENCY_RECORD = new AtomicBoolean();
    /** The next batch's commit takes effect, and the caller is told it failed (as when the answer is lost). */
    private static final AtomicBoolean FAIL_AFTER_NEXT_COMMIT = new AtomicBoolean();
    /** The look at the store after a failed commit fails too (as when the database is gone). */
    private static final AtomicBoolean FAIL_NEXT_LOOK_AT_THE_STORE = new AtomicBoolean();

    @TestConfiguration
    static class CommitThatCanFail {

        /** The database's connections, whose next commit on the group committer's thread can be made to fail. */
        @Bean
        static BeanPostProcessor commitsThatCanFail() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource dataSource && !(bean instanceof DelegatingDataSource)
                            ? new FailingCommits(dataSource) : bean;
                }
            };
        }
    }

    static final class FailingCommits extends DelegatingDataSource {

        FailingCommits(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit") && Thread.currentThread().getName().equals("group-committer")
                                && FAIL_NEXT_BATCH.getAndSet(false)) {
                            throw new SQLException("the disk is full (injected by the test)");
                        }
                        if (method.getName().equals("prepareStatement") && String.valueOf(args[0])
                                .startsWith("INSERT INTO idempotency_record") && FAIL_NEXT_IDEMPOTENCY_RECORD.getAndSet(false)) {
                            throw new SQLException("the idempotency record cannot be written (injected by the test)");
                        }
                        if (method.getName().equals("prepareStatement") && String.valueOf(args[0])
                                .startsWith("SELECT 1 FROM domain_event_entry") && FAIL_NEXT_LOOK_AT_THE_STORE.getAndSet(false)) {
                            throw new SQLException("the database is gone (injected by the test)");
                        }
                        if (method.getName().equals("commit") && Thread.currentThread().getName().equals("group-committer")
                                && FAIL_AFTER_NEXT_COMMIT.getAndSet(false)) {
                            connection.commit();
                            throw new SQLException("the connection broke before the commit was answered (injected)");
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport("http://localhost:" + port);
    }

    @Test
    void theCommandAfterAFailedCommitStartsFromTheStoredContact() {
        String id = capture();
        assertThat(engage(id).header("ETag")).isEqualTo("\"1\"");

        FAIL_NEXT_BATCH.set(true);
        Reply lost = engage(id);
        assertThat(lost.status()).as(lost.text()).isEqualTo(503);
        assertThat(FAIL_NEXT_BATCH).isFalse();

        assertStoredAfterOneMore(id);
    }

    /** A commit that took effect is the command's answer, however its call ended: a 503 would invite a second one. */
    @Test
    void aCommandWhoseCommitTookEffectButFailedToAnswerIsAnsweredAsStored() {
        String id = capture();

        FAIL_AFTER_NEXT_COMMIT.set(true);
        Reply stored = engage(id);

        assertThat(FAIL_AFTER_NEXT_COMMIT).isFalse();
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        assertThat(stored.header("ETag")).isEqualTo("\"1\"");
        assertStoredAfterOneMore(id);
    }

    @Test
    void aFailedCommitWhoseOutcomeCannotBeReadSaysTheCommandMayBeStored() {
        String id = capture();
        java.util.Map<String, String> key = java.util.Map.of("Idempotency-Key", UUID.randomUUID().toString());

        FAIL_AFTER_NEXT_COMMIT.set(true);
        FAIL_NEXT_LOOK_AT_THE_STORE.set(true);
        Reply unknown = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}", key);
        Reply retried = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}", key);

        assertThat(FAIL_NEXT_LOOK_AT_THE_STORE).isFalse();
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(503);
        assertThat(unknown.json().get("detail").asText()).contains("not known").contains("same Idempotency-Key");
        // it was stored: the retry with its key answers so, and stores nothing more
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertStoredAfterOneMore(id);
    }

    @Test
    void theCommandAfterOneRolledBackBehindItsEventsStartsFromTheStoredContact() {
        String id = capture();
        assertThat(engage(id).header("ETag")).isEqualTo("\"1\"");

        // the command's events are applied, then its idempotency record fails: its savepoint is rolled back
        FAIL_NEXT_IDEMPOTENCY_RECORD.set(true);
        Reply lost = http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}",
                java.util.Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(lost.status()).as(lost.text()).isGreaterThanOrEqualTo(500);
        assertThat(FAIL_NEXT_IDEMPOTENCY_RECORD).isFalse();

        assertStoredAfterOneMore(id);
    }

    @Test
    void aRefusalKeptForItsKeyIsNotAnsweredWhenItsBatchIsLost() {
        String id = capture();
        java.util.Map<String, String> key = java.util.Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String qualify = "{\"budget\":\"50k\",\"authority\":\"CTO\",\"need\":\"reporting\",\"timeline\":\"Q3\"}";

        FAIL_NEXT_BATCH.set(true);
        Reply lost = http.post("/api/contacts/" + id + "/qualify", SERVICE, qualify, key);
        Reply retried = http.post("/api/contacts/" + id + "/qualify", SERVICE, qualify, key);
        Reply again = http.post("/api/contacts/" + id + "/qualify", SERVICE, qualify, key);

        // the 409 was not kept, so it was not given: the caller retries, and only then is refused and answered
        assertThat(lost.status()).as(lost.text()).isEqualTo(503);
        assertThat(FAIL_NEXT_BATCH).isFalse();
        assertThat(retried.status()).as(retried.text()).isEqualTo(409);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }

    private String capture() {
        Reply captured = http.post("/api/contacts", SERVICE, "{\"name\":\"Ada Lovelace\",\"email\":\""
                + UUID.randomUUID() + "@example.com\",\"source\":\"WEB_FORM\"}");
        assertThat(captured.status()).as(captured.text()).isEqualTo(201);
        return captured.json().get("contactId").asText();
    }

    /** The next command follows the stored events 0 and 1: version 2, contiguous, the chain intact. */
    private void assertStoredAfterOneMore(String id) {
        Reply next = engage(id);
        assertThat(next.status()).as(next.text()).isEqualTo(200);
        assertThat(next.header("ETag")).as("the version after the stored event 1").isEqualTo("\"2\"");
        assertThat(jdbc.queryForList("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " ORDER BY sequence_number", Long.class, id)).containsExactly(0L, 1L, 2L);
        Reply verified = http.get("/api/contacts/" + id + "/history/verify", "auditor-dev-key");
        assertThat(verified.json().get("intact").asBoolean()).as(verified.text()).isTrue();
    }

    private Reply engage(String id) {
        return http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"CALL_HELD\"}");
    }
}
