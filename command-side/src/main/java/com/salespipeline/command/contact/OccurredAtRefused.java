package com.salespipeline.command.contact;

import java.time.Instant;

/**
 * The business time given with a command is in the future, before the contact's previous event, or before the
 * earliest time the pipeline records.
 */
public class OccurredAtRefused extends ContactRefused {

    private final String code;

    private OccurredAtRefused(String code, String message) {
        super(message);
        this.code = code;
    }

    public static OccurredAtRefused inFuture(Instant occurredAt, Instant now) {
        return new OccurredAtRefused("occurred-at-in-future",
                "occurredAt " + occurredAt + " lies in the future (now is " + now + ")");
    }

    public static OccurredAtRefused beforePrevious(Instant occurredAt, Instant previous) {
        return new OccurredAtRefused("occurred-at-before-previous-event", "occurredAt " + occurredAt
                + " is earlier than the contact's previous event at " + previous);
    }

    public static OccurredAtRefused beforeEarliest(Instant occurredAt, Instant earliest) {
        return new OccurredAtRefused("occurred-at-before-earliest", "occurredAt " + occurredAt
                + " is earlier than " + earliest + ", the earliest time the pipeline records");
    }

    @Override
    public String code() {
        return code;
    }
}
