package com.salespipeline.command.pipeline;

/**
 * A request's claim on an Idempotency-Key: the caller, the key, and a fingerprint of what was asked
 * (method, path and body), so a retry is recognised and a reused key with another request is not.
 *
 * @param successStatus the HTTP status the first success answered with, replayed to retries
 */
public record IdempotencyClaim(String principal, String key, String fingerprint, int successStatus) {
}
