package com.salespipeline.query.replay;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Batches given to a consumer on a thread of its own, in order, at most {@value #BEHIND} batches behind the caller:
 * a bulk replay adds up the report aggregates of the contacts it folded, and writes their rows, on other cores while
 * it folds the next ones. A failure of the consumer is thrown to the caller at its next batch, or at
 * {@link #finish()}; the batches after it are not consumed.
 */
final class BatchesBehind<T> implements AutoCloseable {

    private static final int BEHIND = 2;

    private final Consumer<T> consumer;
    private final ExecutorService thread;
    private final Semaphore room = new Semaphore(BEHIND);
    private volatile Throwable failure;
    private volatile boolean closed;
    private Future<?> last;
    private long waitNanos;

    BatchesBehind(Consumer<T> consumer, String threadName) {
        this.consumer = consumer;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Hands on a batch, once the consumer is less than {@value #BEHIND} batches behind. */
    void accept(List<T> batch) {
        failIfFailed();
        long start = System.nanoTime();
        room.acquireUninterruptibly();
        waitNanos += System.nanoTime() - start;
        last = thread.submit(() -> {
            try {
                // none after a failure, nor after the caller gave up
                if (failure == null && !closed) {
                    batch.forEach(consumer);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                room.release();
            }
        });
    }

    /** Waits until the consumer has taken every batch; throws its failure, if any. */
    void finish() {
        long start = System.nanoTime();
        try {
            awaitLast();
        } finally {
            waitNanos += System.nanoTime() - start;
        }
        failIfFailed();
    }

    /** How long the caller waited for the consumer, in {@link #accept} and {@link #finish()}. */
    long waitNanos() {
        return waitNanos;
    }

    private void awaitLast() {
        if (last != null) {
            try {
                last.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch of a bulk replay", e);
            }
        }
    }

    private void failIfFailed() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }

    /**
     * Stops the thread after the batch it is on (without interrupting it), and waits for it, also when the caller is
     * interrupted: a batch still writing rows after the replay ended could meet the next replay's emptying of them.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        boolean interrupted = false;
        try {
            while (!thread.isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the thread of a bulk replay's batches did not stop in 10 minutes");
                }
                try {
                    thread.awaitTermination(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
