package com.salespipeline.query.lifecycle;

import java.util.UUID;

/**
 * An event failed part-way inside a processor's batch that held no savepoint for it: the batch must be
 * rolled back and retried, and the event is then applied with a savepoint so that it can be parked alone.
 * Its cause is the event's own failure.
 */
public class ApplyAgainWithSavepoint extends RuntimeException {

    public ApplyAgainWithSavepoint(UUID contactId, long sequence, Throwable cause) {
        super("event " + sequence + " of contact " + contactId + " failed part-way and is applied again with a"
                + " savepoint: " + cause.getMessage(), cause);
    }
}
