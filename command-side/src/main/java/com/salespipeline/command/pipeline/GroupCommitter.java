package com.salespipeline.command.pipeline;

import com.salespipeline.command.contact.CommandOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs commands in groups: one database transaction for a batch of commands, a savepoint for each,
 * and every answer released only after the batch is committed. One durable commit then carries many
 * commands, which is what makes an fsync-per-commit store fast without acknowledging anything that a
 * crash could still take away. A refused command rolls back to its savepoint and stores no event; with an
 * Idempotency-Key, its refusal is kept for retries.
 *
 * <p>One worker thread applies the commands in arrival order, so two commands for the same contact
 * always see each other's events (uncommitted ones included, through the shared transaction).
 *
 * <p>Contacts loaded by earlier commands are kept in memory by the repository, holding the events of their
 * commands. Events that are then not stored (a batch whose commit failed, a command rolled back to its savepoint
 * after its events were applied) must not stay there: {@code forgetLoadedContacts} drops them all, and the next
 * command reads its contact from the store again.
 */
public class GroupCommitter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    private final CommandBus commandBus;
    private final IdempotencyRecords idempotency;
    private final RefusalAnswers refusals;
    private final TransactionTemplate transactions;
    private final Runnable afterCommit;
    private final Runnable forgetLoadedContacts;
    private final Predicate<CommandOutcome> storedEvents;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private volatile boolean running;
    private Thread worker;

    /**
     * @param storedEvents whether a command's newest event is in the store, read outside the batch's transaction:
     *                     asked only after a failed commit
     */
    public GroupCommitter(CommandBus commandBus, IdempotencyRecords idempotency, RefusalAnswers refusals,
                          PlatformTransactionManager transactionManager, Runnable afterCommit,
                          Runnable forgetLoadedContacts, Predicate<CommandOutcome> storedEvents, int maxBatch,
                          int queueCapacity) {
        this.commandBus = commandBus;
        this.storedEvents = storedEvents;
        this.afterCommit = afterCommit;
        this.forgetLoadedContacts = forgetLoadedContacts;
        this.idempotency = idempotency;
        this.refusals = refusals;
        this.transactions = new TransactionTemplate(transactionManager);
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Queues a command; the future completes after its commit, or exceptionally with its refusal. */
    public CompletableFuture<CommandReply> submit(Object command, MetaData metaData, IdempotencyClaim claim) {
        Pending pending = new Pending(command, metaData, claim, new CompletableFuture<>());
        if (!running) {
            pending.reply.completeExceptionally(new CommandsUnavailable("the command side is not running", null));
        } else if (!queue.offer(pending)) {
            pending.reply.completeExceptionally(new CommandsUnavailable("too many commands waiting; retry later", null));
        }
        return pending.reply;
    }

    /** Commands queued for a coming batch (not those of the batch being committed). */
    public int waiting() {
        return queue.size();
    }

    /** Submits and waits for the committed answer; the refusal itself is thrown. */
    public CommandReply execute(Object command, MetaData metaData, IdempotencyClaim claim, Duration timeout) {
        try {
            return submit(command, metaData, claim).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CommandsUnavailable("command failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandsUnavailable("no commit within " + timeout + "; the command may still be stored", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandsUnavailable("interrupted while waiting for the commit", e);
        }
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("group commit worker failed; failing {} commands of the batch", batch.size(), e);
                forgetLoadedContacts.run();
                batch.forEach(p -> p.reply.completeExceptionally(new CommandsUnavailable("command store failure", e)));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        boolean[] applied = {false};
        try {
            transactions.executeWithoutResult(status -> {
                batch.forEach(p -> results.add(apply(p, status)));
                applied[0] = true;
            });
        } catch (RuntimeException commitFailure) {
            forgetLoadedContacts.run();
            BatchOutcome outcome = applied[0] ? outcomeOfFailedCommit(results) : BatchOutcome.NOT_STORED;
            if (outcome == BatchOutcome.STORED) {
                log.warn("the commit of a batch of {} commands failed, but its events are stored: answered as"
                        + " committed", batch.size(), commitFailure);
                answerCommitted(batch, results);
                return;
            }
            log.error("commit of a batch of {} commands failed; {}", batch.size(), outcome == BatchOutcome.NOT_STORED
                    ? "none of them is stored" : "whether it is stored could not be read", commitFailure);
            for (int i = 0; i < batch.size(); i++) {
                Object result = i < results.size() ? results.get(i) : null;
                batch.get(i).reply.completeExceptionally(answerAfterFailedCommit(batch.get(i), result, outcome,
                        commitFailure));
            }
            return;
        }
        answerCommitted(batch, results);
    }

    private void answerCommitted(List<Pending> batch, List<Object> results) {
        afterCommit.run();
        for (int i = 0; i < batch.size(); i++) {
            Object result = results.get(i);
            if (result instanceof CommandReply reply) {
                batch.get(i).reply.complete(reply);
            } else {
                batch.get(i).reply.completeExceptionally((Throwable) result);
            }
        }
    }

    private enum BatchOutcome { STORED, NOT_STORED, UNKNOWN }

    /**
     * Whether a batch whose commit call failed was stored: the database may have committed it before the failure
     * reached the caller (the connection lost while the commit's answer was on its way; H2 closing at the JVM's
     * exit). The batch commits as a whole, so one command's newest event tells for all; a batch of refusals and
     * repeated answers only has its Idempotency-Key records to lose, and counts as not stored.
     */
    private BatchOutcome outcomeOfFailedCommit(List<Object> results) {
        Optional<CommandOutcome> applied = results.stream()
                .filter(result -> result instanceof CommandReply reply && !reply.replayed())
                .map(result -> ((CommandReply) result).outcome()).findFirst();
        if (applied.isEmpty()) {
            return BatchOutcome.NOT_STORED;
        }
        try {
            return storedEvents.test(applied.get()) ? BatchOutcome.STORED : BatchOutcome.NOT_STORED;
        } catch (RuntimeException unreadable) {
            log.warn("whether the batch was stored could not be read", unreadable);
            return BatchOutcome.UNKNOWN;
        }
    }

    /**
     * A refusal is still the answer when its batch could not be committed, unless it was to be kept for retries of
     * its Idempotency-Key: that record is lost with the batch, so a retry would not get it again.
     */
    private RuntimeException answerAfterFailedCommit(Pending pending, Object result, BatchOutcome outcome,
                                                     RuntimeException commitFailure) {
        if (result instanceof RuntimeException refusal
                && (pending.claim == null || refusals.answerTo(refusal).isEmpty())) {
            return refusal;
        }
        if (outcome == BatchOutcome.UNKNOWN) {
            return new CommandsUnavailable("the commit failed and whether this command is stored is not known: it"
                    + " may be; a retry with the same Idempotency-Key answers as it was stored, or runs it if it was"
                    + " not, and the contact's history shows its events", commitFailure);
        }
        return new CommandsUnavailable("the commit failed; nothing of this command is stored", commitFailure);
    }

    /** Applies one command under a savepoint; answers its reply or the exception that refused it. */
    private Object apply(Pending pending, TransactionStatus status) {
        Object savepoint = status.createSavepoint();
        boolean dispatched = false;
        IdempotencyClaim claim = pending.claim;
        try {
            if (claim != null) {
                Optional<IdempotencyRecords.Stored> stored = idempotency.find(claim.principal(), claim.key());
                if (stored.isPresent()) {
                    status.releaseSavepoint(savepoint);
                    if (!claim.isRetryOf(stored.get().fingerprint())) {
                        return new IdempotencyKeyReused(claim.key());
                    }
                    return stored.get().answer();
                }
            }
            CommandOutcome outcome = dispatch(pending);
            dispatched = true;
            int statusCode = claim == null ? 0 : claim.successStatus();
            if (claim != null) {
                idempotency.save(claim, outcome);
            }
            status.releaseSavepoint(savepoint);
            return new CommandReply(statusCode, outcome, false);
        } catch (RuntimeException e) {
            status.rollbackToSavepoint(savepoint);
            if (dispatched) {
                // the command's events were applied to its contact in memory, and are now not stored
                forgetLoadedContacts.run();
            }
            if (claim != null) {
                // committed with the batch; if the batch is lost, the caller is not given this refusal either
                refusals.answerTo(e).ifPresent(refusal -> idempotency.saveRefusal(claim, refusal));
            }
            return e;
        }
    }

    private CommandOutcome dispatch(Pending pending) {
        FutureCallback<Object, Object> callback = new FutureCallback<>();
        commandBus.dispatch(GenericCommandMessage.asCommandMessage(pending.command).andMetaData(pending.metaData),
                callback);
        CommandResultMessage<?> result = callback.getResult();
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CommandsUnavailable("command handler failed", failure);
        }
        return (CommandOutcome) result.getPayload();
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::work, "group-committer");
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            // let the worker finish what was accepted: those callers are waiting for an answer
            worker.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stop before the web server's graceful shutdown completes and before Axon's own components
        return Integer.MAX_VALUE - 2048;
    }

    private record Pending(Object command, MetaData metaData, IdempotencyClaim claim,
                           CompletableFuture<CommandReply> reply) {
    }
}
