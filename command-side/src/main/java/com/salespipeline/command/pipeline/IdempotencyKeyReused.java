package com.salespipeline.command.pipeline;

/** The Idempotency-Key was used before for a different request. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request", null, false, false);
    }
}
