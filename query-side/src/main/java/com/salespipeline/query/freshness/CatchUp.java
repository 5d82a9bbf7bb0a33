package com.salespipeline.query.freshness;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the read model has applied every event that was stored when the wait began: a query that follows a
 * command's answer then sees that command's effect. The wait is bounded, so a read model that cannot catch up (its
 * database failing, a replay switching generations) still answers, from what it holds; one that is not following
 * the history at all is not waited for. Nor is one that many requests are already waiting for: a wait takes a few
 * milliseconds when the read model keeps up, so a crowd of waiters means it does not, and each would hold a
 * request thread for the whole timeout.
 */
public final class CatchUp {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    // the projection is asked again now and then: a request that found it in the middle of a batch would
    // otherwise wait for the batch after the one it was asked for
    private static final long LOOK_AGAIN_NANOS = 20_000_000L;
    // a batch usually lands within a few milliseconds; a longer one is not worth checking every millisecond
    private static final long LONGEST_PAUSE_MILLIS = 5;

    private final ReadModelProgress progress;
    private final long timeoutNanos;
    private final Semaphore waiters;

    /** @param maxWaiting how many requests may wait at once; the others answer at once, marked behind */
    public CatchUp(ReadModelProgress progress, Duration timeout, int maxWaiting) {
        this.progress = progress;
        this.timeoutNanos = timeout.toNanos();
        this.waiters = new Semaphore(maxWaiting);
    }

    /**
     * Whether the read model holds every event stored when this was called; false when it is not following the
     * history, when too many requests wait for it already, when the wait timed out, and when where it stands could
     * not be read.
     *
     * @throws ReadInterrupted when the wait was interrupted; the thread keeps its interrupt
     */
    public boolean await() {
        long start = System.nanoTime();
        if (Thread.currentThread().isInterrupted()) {
            throw new ReadInterrupted(null);
        }
        try {
            long head = progress.storedHead();
            if (progress.appliedPosition() >= head) {
                return true;
            }
            if (!progress.following() || !waiters.tryAcquire()) {
                return false;
            }
            try {
                return waitFor(head, start);
            } finally {
                waiters.release();
            }
        } catch (InterruptedException interrupted) {
            // the container is stopping; the read must not go on with the interrupt set (see ReadInterrupted)
            Thread.currentThread().interrupt();
            throw new ReadInterrupted(interrupted);
        } catch (RuntimeException unreadable) {
            // the database failing: the read itself will say so, or answer from what it can read
            log.debug("could not tell whether the read model is up to date", unreadable);
            return false;
        }
    }

    private boolean waitFor(long head, long start) throws InterruptedException {
        long lastLook = System.nanoTime();
        long pause = 1;
        progress.lookNow();
        while (progress.appliedPosition() < head) {
            if (!progress.following()) {
                return false;
            }
            long now = System.nanoTime();
            if (now - start >= timeoutNanos) {
                return false;
            }
            if (now - lastLook >= LOOK_AGAIN_NANOS) {
                progress.lookNow();
                lastLook = now;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
        return true;
    }
}
