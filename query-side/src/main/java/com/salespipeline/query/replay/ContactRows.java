package com.salespipeline.query.replay;

import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.FoldedContact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One contact's rows in every read-model table, held in memory while its history is folded: the
 * {@code read_contact} row and the contact's {@code read_stage_visit}, {@code read_owner_period} and
 * {@code read_opportunity} rows, in the order the live projection would have inserted them.
 */
final class ContactRows {

    final UUID contactId;
    final String name;
    final String email;
    final String company;
    final String source;
    final String campaign;
    final Instant capturedAt;
    final String capturedMonth;
    long version;
    String owner;
    Instant ownerSince;
    Stage stage;
    Instant stageEnteredAt;
    Instant lastOccurredAt;
    /** By funnel order (index 0, LEAD, stays empty: its column is captured_at). */
    final Instant[] entered = new Instant[6];
    final Instant[] reached = new Instant[6];
    final List<Visit> visits = new ArrayList<>(4);
    final List<OwnerPeriod> ownerPeriods = new ArrayList<>(2);
    final List<Opportunity> opportunities = new ArrayList<>(1);

    ContactRows(UUID contactId, long version, String name, String email, String company, String source,
                String campaign, Instant capturedAt, String capturedMonth) {
        this.contactId = contactId;
        this.version = version;
        this.name = name;
        this.email = email;
        this.company = company;
        this.source = source;
        this.campaign = campaign;
        this.capturedAt = capturedAt;
        this.capturedMonth = capturedMonth;
    }

    /** What the report aggregates count of these rows. */
    FoldedContact folded() {
        List<FoldedContact.Visit> foldedVisits = new ArrayList<>(visits.size());
        visits.forEach(v -> foldedVisits.add(new FoldedContact.Visit(v.stage, v.enteredAt, v.leftAt)));
        List<FoldedContact.OwnerPeriod> periods = new ArrayList<>(ownerPeriods.size());
        ownerPeriods.forEach(p -> periods.add(new FoldedContact.OwnerPeriod(p.owner, p.validFrom, p.validTo)));
        List<FoldedContact.Closing> closings = new ArrayList<>(opportunities.size());
        for (Opportunity o : opportunities) {
            if (o.closedAt != null) {
                closings.add(new FoldedContact.Closing(o.closedAt, "WON".equals(o.outcome)));
            }
        }
        return new FoldedContact(source, campaign, capturedAt, capturedMonth, owner, ownerSince, stage, stageEnteredAt,
                reached, entered, foldedVisits, periods, closings);
    }

    /** How many rows the contact has in all four tables together. */
    int rowCount() {
        return 1 + visits.size() + ownerPeriods.size() + opportunities.size();
    }

    static final class Visit {
        final long enteredSeq;
        final Stage stage;
        final Instant enteredAt;
        Instant leftAt;

        Visit(long enteredSeq, Stage stage, Instant enteredAt) {
            this.enteredSeq = enteredSeq;
            this.stage = stage;
            this.enteredAt = enteredAt;
        }
    }

    static final class OwnerPeriod {
        final long fromSeq;
        final String owner;
        final Instant validFrom;
        Instant validTo;

        OwnerPeriod(long fromSeq, String owner, Instant validFrom) {
            this.fromSeq = fromSeq;
            this.owner = owner;
            this.validFrom = validFrom;
        }
    }

    static final class Opportunity {
        final UUID opportunityId;
        final boolean upsell;
        final Instant openedAt;
        Instant closedAt;
        String outcome;

        Opportunity(UUID opportunityId, boolean upsell, Instant openedAt) {
            this.opportunityId = opportunityId;
            this.upsell = upsell;
            this.openedAt = openedAt;
        }
    }
}
