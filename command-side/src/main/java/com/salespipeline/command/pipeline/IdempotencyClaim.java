package com.salespipeline.command.pipeline;

import java.util.List;

/**
 * A request's claim on an Idempotency-Key: the caller, the key, and a fingerprint of what was asked
 * (method, path and body), so a retry is recognised and a reused key with another request is not.
 *
 * @param successStatus        the HTTP status the first success answered with, replayed to retries
 * @param earlierFingerprints  the same request's fingerprint as earlier versions computed it: their records, kept in
 *                             the store across an upgrade, still answer its retries
 */
public record IdempotencyClaim(String principal, String key, String fingerprint, int successStatus,
                               List<String> earlierFingerprints) {

    public IdempotencyClaim {
        earlierFingerprints = List.copyOf(earlierFingerprints);
    }

    /** Whether a record stored with {@code storedFingerprint} answers this request. */
    public boolean isRetryOf(String storedFingerprint) {
        return fingerprint.equals(storedFingerprint) || earlierFingerprints.contains(storedFingerprint);
    }
}
