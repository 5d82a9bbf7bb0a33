package com.salespipeline.command.contact;

import java.time.Instant;

/** The business time given with a command is in the future or before the contact's previous event. */
public class OccurredAtRefused extends ContactRefused {

    private final boolean inFuture;

    private OccurredAtRefused(boolean inFuture, String message) {
        super(message);
        this.inFuture = inFuture;
    }

    public static OccurredAtRefused inFuture(Instant occurredAt, Instant now) {
        return new OccurredAtRefused(true, "occurredAt " + occurredAt + " lies in the future (now is " + now + ")");
    }

    public static OccurredAtRefused beforePrevious(Instant occurredAt, Instant previous) {
        return new OccurredAtRefused(false, "occurredAt " + occurredAt
                + " is earlier than the contact's previous event at " + previous);
    }

    @Override
    public String code() {
        return inFuture ? "occurred-at-in-future" : "occurred-at-before-previous-event";
    }
}
