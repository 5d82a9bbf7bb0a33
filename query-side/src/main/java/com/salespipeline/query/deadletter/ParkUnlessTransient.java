package com.salespipeline.query.deadletter;

import com.salespipeline.query.lifecycle.ApplyAgainWithSavepoint;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Parks an event that the read models cannot apply, and says so in the log. A failure of the database
 * itself is not the event's fault: parking would let a whole outage's events pile up as dead letters, so
 * it is thrown on, the processor rolls back its batch and retries it later. So is an event that failed
 * part-way without a savepoint of its own ({@link ApplyAgainWithSavepoint}): the batch's retry gives it one, and
 * parks it then.
 */
class ParkUnlessTransient implements EnqueuePolicy<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ParkUnlessTransient.class);

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        if (appliesAgain(cause) || isTransient(cause)) {
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
        log.error("Parked event {} ({}) of contact {}: the read models cannot apply it; the contact's later events"
                        + " wait behind it until it is retried (GET /api/admin/dead-letters)",
                letter.message().getIdentifier(), letter.message().getPayloadType().getSimpleName(),
                ContactOfEvent.of(letter.message()).orElse("?"), cause);
        return Decisions.enqueue(ThrowableCause.truncated(cause));
    }

    private static boolean appliesAgain(Throwable cause) {
        return anyCause(cause, t -> t instanceof ApplyAgainWithSavepoint);
    }

    static boolean isTransient(Throwable cause) {
        return anyCause(cause, t -> t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                || t instanceof DataAccessResourceFailureException || t instanceof TransactionException
                || t instanceof SQLTransientException || t instanceof SQLRecoverableException);
    }

    private static boolean anyCause(Throwable cause, java.util.function.Predicate<Throwable> test) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
