package com.salespipeline.query.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.events.LeadSource;
import com.salespipeline.query.lifecycle.ApplyAgainWithSavepoint;
import com.salespipeline.query.lifecycle.ContactHistory;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class ParkUnlessTransientTest {

    private final ParkUnlessTransient policy = new ParkUnlessTransient();
    private final EventMessage<?> event = GenericEventMessage.asEventMessage(ContactHistory
            .capture(Instant.parse("2024-01-03T00:00:00Z"), LeadSource.AD, null, null).events().get(0));

    @Test
    void anEventTheReadModelsCannotApplyIsParkedWithItsCause() {
        IllegalStateException cause = new IllegalStateException("whose LeadCaptured was never applied");

        EnqueueDecision<EventMessage<?>> decision = policy.decide(new GenericDeadLetter<>("c", event, cause), cause);

        assertThat(decision.shouldEnqueue()).isTrue();
        assertThat(decision.enqueueCause()).get().extracting(Throwable::getMessage).asString()
                .contains("never applied");
    }

    @Test
    void aConstraintTheRowsViolateIsTheEventsProblemAndIsParked() {
        DataIntegrityViolationException cause = new DataIntegrityViolationException("duplicate key");

        assertThat(policy.decide(new GenericDeadLetter<>("c", event, cause), cause).shouldEnqueue()).isTrue();
    }

    @Test
    void aFailingDatabaseIsNotTheEventsFaultAndIsThrownOnForTheProcessorToRetry() {
        for (RuntimeException cause : new RuntimeException[] {
                new CannotGetJdbcConnectionException("connection refused"),
                new QueryTimeoutException("statement timed out"),
                new IllegalStateException("wrapped", new SQLTransientConnectionException("gone"))}) {
            assertThatThrownBy(() -> policy.decide(new GenericDeadLetter<>("c", event, cause), cause)).isSameAs(cause);
        }
    }

    @Test
    void anEventThatFailedPartWayWithoutASavepointIsThrownOnSoTheBatchIsRetriedAndNotParkedYet() {
        ApplyAgainWithSavepoint cause = new ApplyAgainWithSavepoint(java.util.UUID.randomUUID(), 3,
                new IllegalStateException("expected one open opportunity"));

        assertThatThrownBy(() -> policy.decide(new GenericDeadLetter<>("c", event, cause), cause)).isSameAs(cause);
        IllegalStateException wrapped = new IllegalStateException("invoking the handler", cause);
        assertThatThrownBy(() -> policy.decide(new GenericDeadLetter<>("c", event, wrapped), wrapped))
                .isSameAs(wrapped);
    }
}
