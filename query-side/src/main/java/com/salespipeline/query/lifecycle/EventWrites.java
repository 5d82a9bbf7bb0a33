package com.salespipeline.query.lifecycle;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one event's changes to the rows so that an event that fails leaves nothing half-written behind it,
 * and the processor can park it and commit the rest of its batch.
 * <p>
 * A savepoint per event would do that, but on PostgreSQL it costs two round trips of the five or six an
 * event takes, and the projection fell behind the commands for it. So in a streaming processor's batch
 * the changes run in the batch's transaction without one. If they fail there after writing,
 * {@link ApplyAgainWithSavepoint} rolls the whole batch back, and every event up to the end of that batch
 * gets a savepoint from then on: the processor reads the batch again from its token, and each event that
 * fails is parked alone, however many of them the batch holds. A refusal thrown before anything was
 * written ({@link EventRefused}) needs no retry. Elsewhere (a subscribing processor, a dead-letter retry,
 * the replay's newest events) every event gets its savepoint, as nothing there would read a batch again.
 */
final class EventWrites {

    private static final Logger log = LoggerFactory.getLogger(EventWrites.class);

    private final TransactionTemplate nested;
    /**
     * The stream position up to which events get a savepoint: the end of the last batch that failed part-way. It
     * stays once passed, as only a batch read again comes back below it.
     */
    private final AtomicReference<TrackingToken> savepointsThrough = new AtomicReference<>();

    EventWrites(PlatformTransactionManager transactionManager) {
        this.nested = new TransactionTemplate(transactionManager);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    void apply(UUID contactId, long sequence, Runnable changes) {
        BatchingUnitOfWork<?> batch = streamingBatch();
        TrackingToken position = batch == null ? null : position(batch.getMessage());
        if (position == null || needsSavepoint(position)) {
            nested.executeWithoutResult(status -> changes.run());
            return;
        }
        try {
            // not through a transaction template: a participant's failure would mark the batch rollback-only
            changes.run();
        } catch (EventRefused refused) {
            throw refused;
        } catch (RuntimeException e) {
            TrackingToken end = endOf(batch, position);
            savepointsThrough.accumulateAndGet(end, (known, next) -> known == null ? next : known.upperBound(next));
            refuseToCommit();
            log.warn("Event {} of contact {} failed without a savepoint; its batch is rolled back and read again,"
                    + " each event with a savepoint: {}", sequence, contactId, e.toString());
            throw new ApplyAgainWithSavepoint(contactId, sequence, e);
        }
    }

    private boolean needsSavepoint(TrackingToken position) {
        TrackingToken through = savepointsThrough.get();
        if (through == null) {
            return false;
        }
        try {
            return through.covers(position);
        } catch (RuntimeException incomparable) {
            // a token of another kind than the failed batch's (the processor reset meanwhile): the safe side
            return true;
        }
    }

    /**
     * Whatever catches the exception on its way, the batch must not commit: its transaction holds the failed
     * event's first writes.
     */
    private static void refuseToCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                throw new IllegalStateException("a batch in which an event failed part-way without a savepoint must"
                        + " be rolled back, not committed");
            }
        });
    }

    /** In a batch that a processor reads again from its token if it fails, inside the batch's transaction. */
    private static BatchingUnitOfWork<?> streamingBatch() {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batch
                && batch.getMessage() instanceof TrackedEventMessage<?>
                && TransactionSynchronizationManager.isActualTransactionActive()) {
            return batch;
        }
        return null;
    }

    private static TrackingToken position(Object message) {
        return message instanceof TrackedEventMessage<?> tracked ? tracked.trackingToken() : null;
    }

    private static TrackingToken endOf(BatchingUnitOfWork<?> batch, TrackingToken position) {
        List<?> messages = batch.getMessages();
        TrackingToken last = messages.isEmpty() ? null : position(messages.get(messages.size() - 1));
        return last == null ? position : last.upperBound(position);
    }
}
