package com.salespipeline.command.pipeline;

/** The stored refusal of an earlier request with the same Idempotency-Key and body, given again. */
public class ReplayedRefusal extends RuntimeException {

    private final transient RecordedRefusal refusal;

    public ReplayedRefusal(RecordedRefusal refusal) {
        super("the first request with this Idempotency-Key was refused", null, false, false);
        this.refusal = refusal;
    }

    public RecordedRefusal refusal() {
        return refusal;
    }
}
