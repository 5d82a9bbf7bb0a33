package com.salespipeline.command.store;

/** The metadata keys that every stored event carries: who caused it, in which conversation, and why. */
public final class AuditMetaData {

    public static final String ACTOR = "actor";
    public static final String CORRELATION_ID = "correlationId";
    public static final String REASON = "reason";

    private AuditMetaData() {
    }
}
