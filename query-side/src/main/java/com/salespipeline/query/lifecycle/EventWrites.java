package com.salespipeline.query.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one event's changes to the rows so that an event that fails leaves nothing half-written behind it,
 * and the processor can park it and commit the rest of its batch.
 * <p>
 * A savepoint per event would do that, but on PostgreSQL it costs two round trips of the five or six an
 * event takes, and the projection fell behind the commands for it. So in a streaming processor's batch
 * the changes run in the batch's transaction without one. If they fail there after writing, the event is
 * marked and {@link ApplyAgainWithSavepoint} rolls the whole batch back; the processor reads the batch
 * again from its token, and this time the marked event gets its savepoint and is parked alone. A refusal
 * thrown before anything was written ({@link EventRefused}) needs no retry. Elsewhere (a subscribing
 * processor, a dead-letter retry, the replay's newest events) every event gets its savepoint, as nothing
 * there would read a batch again.
 */
final class EventWrites {

    private static final Logger log = LoggerFactory.getLogger(EventWrites.class);
    /** A mark whose event never came back (another node took the segment, a replay failed) is forgotten. */
    private static final Duration MARK_KEPT = Duration.ofMinutes(10);

    private final TransactionTemplate nested;
    private final Map<EventKey, Instant> marked = new ConcurrentHashMap<>();

    EventWrites(PlatformTransactionManager transactionManager) {
        this.nested = new TransactionTemplate(transactionManager);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    void apply(UUID contactId, long sequence, Runnable changes) {
        EventKey key = new EventKey(contactId, sequence);
        if (!inStreamingBatch() || (!marked.isEmpty() && marked.remove(key) != null)) {
            nested.executeWithoutResult(status -> changes.run());
            return;
        }
        try {
            // not through a transaction template: a participant's failure would mark the batch rollback-only
            changes.run();
        } catch (EventRefused refused) {
            throw refused;
        } catch (RuntimeException e) {
            forgetOldMarks();
            marked.put(key, Instant.now());
            log.warn("Event {} of contact {} failed part-way; its batch is rolled back and applied again with a"
                    + " savepoint for it: {}", sequence, contactId, e.toString());
            throw new ApplyAgainWithSavepoint(contactId, sequence, e);
        }
    }

    private void forgetOldMarks() {
        Instant oldest = Instant.now().minus(MARK_KEPT);
        marked.values().removeIf(at -> at.isBefore(oldest));
    }

    /** In a batch that a processor reads again from its token if it fails, inside the batch's transaction. */
    private static boolean inStreamingBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch
                && batch.getMessage() instanceof TrackedEventMessage<?>
                && TransactionSynchronizationManager.isActualTransactionActive();
    }

    private record EventKey(UUID contactId, long sequence) {
    }
}
