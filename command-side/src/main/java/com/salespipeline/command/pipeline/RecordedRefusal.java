package com.salespipeline.command.pipeline;

/**
 * A refusal as it was answered, kept with its Idempotency-Key so that a retry gets the same answer.
 *
 * @param status      the HTTP status of the refusal
 * @param problemJson its problem details (RFC 9457) as JSON
 */
public record RecordedRefusal(int status, String problemJson) {
}
