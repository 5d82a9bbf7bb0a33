package com.salespipeline.query.lifecycle;

import com.salespipeline.events.Stage;
import java.time.Instant;
import java.util.List;

/**
 * One contact's rows after a bulk replay folded its history (see {@code LifecycleFold}), as far as the report
 * aggregates count them: what {@code read_contact}, {@code read_stage_visit}, {@code read_owner_period} and
 * {@code read_opportunity} hold for it. Times are whole microseconds, as stored.
 *
 * @param reached by funnel order, when the contact first reached that stage or a later one (index 0 unused)
 * @param entered by funnel order, when the contact first entered that stage itself (index 0 unused)
 * @param closings the opportunities closed, won or lost
 */
public record FoldedContact(String source, String campaign, Instant capturedAt, String capturedMonth, String owner,
                            Instant ownerSince, Stage stage, Instant stageEnteredAt, Instant[] reached,
                            Instant[] entered, List<Visit> visits, List<OwnerPeriod> ownerPeriods,
                            List<Closing> closings) {

    /** A stage visit; {@code leftAt} null while it is open. */
    public record Visit(Stage stage, Instant enteredAt, Instant leftAt) {
    }

    /** A time under one owner; {@code validTo} null for the current owner. */
    public record OwnerPeriod(String owner, Instant validFrom, Instant validTo) {
    }

    /** A closed opportunity. */
    public record Closing(Instant closedAt, boolean won) {
    }
}
