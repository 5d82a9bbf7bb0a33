package com.salespipeline.command.contact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Decides the business time ({@code occurredAt}) of a new event: the caller's, if it is neither in the
 * future (beyond a small clock skew) nor before the contact's previous event, nor before {@link #EARLIEST};
 * otherwise now.
 */
public final class BusinessTime {

    /**
     * The earliest business time the pipeline records. An event is stored for good, so a time that the read
     * models cannot compute with (durations in microseconds overflow some 290,000 years back) would be parked
     * there and fail every replay; the first year of the calendar is earlier than any sale.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private final Clock clock;
    private final Duration allowedSkew;

    public BusinessTime(Clock clock, Duration allowedSkew) {
        this.clock = clock;
        this.allowedSkew = allowedSkew;
    }

    /**
     * @param requested the time the caller gave, or null
     * @param previous  the contact's previous event time, or null for a new contact
     */
    public Instant resolve(Instant requested, Instant previous) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (requested == null) {
            // a previous event within the allowed skew may lie slightly ahead of this clock
            return previous != null && previous.isAfter(now) ? previous : now;
        }
        if (requested.isBefore(EARLIEST)) {
            throw OccurredAtRefused.beforeEarliest(requested, EARLIEST);
        }
        if (requested.isAfter(now.plus(allowedSkew))) {
            throw OccurredAtRefused.inFuture(requested, now);
        }
        if (previous != null && requested.isBefore(previous)) {
            throw OccurredAtRefused.beforePrevious(requested, previous);
        }
        return requested;
    }
}
