package com.salespipeline.query.freshness;

import java.time.Duration;

/**
 * Waits until the read model has applied every event that was stored when the wait began: a query that follows a
 * command's answer then sees that command's effect. The wait is bounded, so a read model that cannot catch up (its
 * database failing, a replay switching generations) still answers, from what it holds.
 */
public final class CatchUp {

    // the projection is asked again now and then: a request that found it in the middle of a batch would
    // otherwise wait for the batch after the one it was asked for
    private static final long LOOK_AGAIN_NANOS = 20_000_000L;

    private final ReadModelProgress progress;
    private final long timeoutNanos;

    public CatchUp(ReadModelProgress progress, Duration timeout) {
        this.progress = progress;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Whether the read model holds every event stored when this was called; false when the wait timed out. */
    public boolean await() throws InterruptedException {
        long head = progress.storedHead();
        if (progress.appliedPosition() >= head) {
            return true;
        }
        long start = System.nanoTime();
        long lastLook = start;
        progress.lookNow();
        while (progress.appliedPosition() < head) {
            long now = System.nanoTime();
            if (now - start >= timeoutNanos) {
                return false;
            }
            if (now - lastLook >= LOOK_AGAIN_NANOS) {
                progress.lookNow();
                lastLook = now;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
