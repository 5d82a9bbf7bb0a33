package com.salespipeline.query.lifecycle;

import java.time.Duration;
import java.time.Instant;
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
 * {@link ApplyAgainWithSavepoint} rolls the whole batch back, and every event gets a savepoint until a batch
 * that reaches the end of the failed one commits: the processor reads the batch again from its token (with
 * whatever arrived meanwhile), and each event that fails is parked alone, however many of them it holds.
 * A refusal thrown before anything was written ({@link EventRefused}) needs no retry. Elsewhere (a
 * subscribing processor, a dead-letter retry, the replay's newest events) every event gets its savepoint,
 * as nothing there would read a batch again.
 */
final class EventWrites {

    private static final Logger log = LoggerFactory.getLogger(EventWrites.class);

    /** A mark whose batch never came back (another node took the segment) is dropped after this long. */
    private static final Duration CAREFUL_AT_MOST = Duration.ofMinutes(10);

    private final TransactionTemplate nested;
    /** While set, every event gets a savepoint: a batch failed part-way, and none reaching its end has committed. */
    private final AtomicReference<Careful> careful = new AtomicReference<>();

    /** @param through the end of the batches that failed part-way; @param since when the first of them failed */
    private record Careful(TrackingToken through, Instant since) {
    }

    EventWrites(PlatformTransactionManager transactionManager) {
        this.nested = new TransactionTemplate(transactionManager);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    void apply(UUID contactId, long sequence, Runnable changes) {
        BatchingUnitOfWork<?> batch = streamingBatch();
        TrackingToken position = batch == null ? null : position(batch.getMessage());
        if (position == null || carefully(batch, position)) {
            nested.executeWithoutResult(status -> changes.run());
            return;
        }
        try {
            // not through a transaction template: a participant's failure would mark the batch rollback-only
            changes.run();
        } catch (EventRefused refused) {
            throw refused;
        } catch (RuntimeException e) {
            Careful failed = new Careful(endOf(batch, position), Instant.now());
            careful.accumulateAndGet(failed, (known, next) -> known == null ? next
                    : new Careful(known.through().upperBound(next.through()), known.since()));
            refuseToCommit();
            log.warn("Event {} of contact {} failed without a savepoint; its batch is rolled back and read again,"
                    + " each event with a savepoint: {}", sequence, contactId, e.toString());
            throw new ApplyAgainWithSavepoint(contactId, sequence, e);
        }
    }

    /**
     * Whether this event needs a savepoint; if so, and its batch reaches the end of the failed ones, the batch's
     * commit ends the careful mode.
     */
    private boolean carefully(BatchingUnitOfWork<?> batch, TrackingToken position) {
        Careful now = careful.get();
        if (now == null) {
            return false;
        }
        if (now.since().isBefore(Instant.now().minus(CAREFUL_AT_MOST))) {
            careful.compareAndSet(now, null);
            return false;
        }
        if (reaches(endOf(batch, position), now.through())
                && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    careful.compareAndSet(now, null);
                }
            });
        }
        return true;
    }

    private static boolean reaches(TrackingToken end, TrackingToken through) {
        try {
            return end.covers(through);
        } catch (RuntimeException incomparable) {
            // a token of another kind than the failed batch's (the processor reset meanwhile)
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
