package com.salespipeline.query.replay;

import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import com.salespipeline.events.StageChanged;
import com.salespipeline.query.lifecycle.Stages;
import com.salespipeline.query.lifecycle.Timestamps;
import java.time.Instant;
import java.util.UUID;

/**
 * Folds one contact's history, in sequence order, into the rows the live
 * {@link com.salespipeline.query.lifecycle.LifecycleProjection} would leave after applying it event by event:
 * the same values, the same version guard, and the same refusals for a history that does not fit. A bulk
 * replay folds each contact in memory and writes its final rows once, instead of several statements per event.
 * {@code ReplayFoldEquivalenceTest} holds the two to identical tables.
 */
final class LifecycleFold {


    private ContactRows rows;

    /** Forgets the contact folded so far, for the next one. */
    void reset() {
        rows = null;
    }

    /** The rows after the events applied since the last {@link #reset}; null if none was a capture. */
    ContactRows rows() {
        return rows;
    }

    /** Applies one event of the contact; payloads the projection has no handler for change nothing, as there. */
    void apply(Object payload, long sequence) {
        if (payload instanceof LeadCaptured captured) {
            capture(captured, sequence);
        } else if (payload instanceof OwnerAssigned e) {
            Instant at = at(e);
            if (claim(e, sequence, at)) {
                changeOwner(sequence, e.owner(), at);
            }
        } else if (payload instanceof LeadConverted e) {
            Instant at = at(e);
            if (claim(e, sequence, at)) {
                openOpportunity(e.opportunityId(), false, at);
            }
        } else if (payload instanceof OpportunityOpened e) {
            Instant at = at(e);
            if (claim(e, sequence, at)) {
                openOpportunity(e.opportunityId(), true, at);
            }
        } else if (payload instanceof OpportunityWon e) {
            Instant at = at(e);
            if (claim(e, sequence, at)) {
                closeOpportunity(sequence, e.opportunityId(), true, at);
            }
        } else if (payload instanceof OpportunityLost e) {
            Instant at = at(e);
            if (claim(e, sequence, at)) {
                closeOpportunity(sequence, e.opportunityId(), false, at);
            }
        } else if (payload instanceof EngagementRecorded || payload instanceof LeadMarketingQualified
                || payload instanceof LeadQualified || payload instanceof LeadDisqualified
                || payload instanceof ContactRecycled || payload instanceof CustomerBecameAdvocate) {
            ContactEvent e = (ContactEvent) payload;
            claim(e, sequence, at(e));
        }
    }

    private void capture(LeadCaptured event, long sequence) {
        if (rows != null) {
            sameContact(event, sequence);
            if (sequence > rows.version) {
                throw new IllegalStateException("contact " + event.contactId() + " captured again by event "
                        + sequence + " after event " + rows.version);
            }
            return;
        }
        Instant at = at(event);
        rows = new ContactRows(event.contactId(), sequence, event.name(), event.email(), event.company(),
                event.source().name(), event.campaign(), at, Timestamps.MONTH.format(at));
        rows.owner = event.owner();
        rows.ownerSince = at;
        rows.stage = Stage.LEAD;
        rows.stageEnteredAt = at;
        rows.lastOccurredAt = at;
        rows.visits.add(new ContactRows.Visit(sequence, Stage.LEAD, at));
        rows.ownerPeriods.add(new ContactRows.OwnerPeriod(sequence, event.owner(), at));
    }

    /**
     * Takes the event's sequence as the projection's {@code claim} and {@code claimStageChange} do, and
     * moves the stage and the visits if the event changes the stage; false for an event applied before.
     */
    private boolean claim(ContactEvent event, long sequence, Instant at) {
        if (rows == null) {
            throw new IllegalStateException(event.getClass().getSimpleName() + " (event " + sequence
                    + ") for contact " + event.contactId() + ", whose LeadCaptured was never applied");
        }
        sameContact(event, sequence);
        if (sequence <= rows.version) {
            return false;
        }
        if (event instanceof StageChanged change && change.changesStage()) {
            if (rows.stage != change.fromStage()) {
                throw new IllegalStateException(event.getClass().getSimpleName() + " (event " + sequence
                        + ") moves contact " + event.contactId() + " from " + change.fromStage()
                        + " but the read model has it in " + rows.stage + " after event " + rows.version);
            }
            move(sequence, change.toStage(), at);
        }
        rows.version = sequence;
        rows.lastOccurredAt = at;
        return true;
    }

    private void move(long sequence, Stage to, Instant at) {
        rows.stage = to;
        rows.stageEnteredAt = at;
        if (to.isFunnelStage() && to != Stage.LEAD) {
            int order = to.funnelOrder();
            if (rows.entered[order] == null) {
                rows.entered[order] = at;
            }
            for (Stage reached : Stages.FUNNEL.subList(1, order + 1)) {
                if (rows.reached[reached.funnelOrder()] == null) {
                    rows.reached[reached.funnelOrder()] = at;
                }
            }
        }
        ContactRows.Visit open = null;
        int openVisits = 0;
        for (ContactRows.Visit visit : rows.visits) {
            if (visit.leftAt == null) {
                open = visit;
                openVisits++;
            }
        }
        expectOne(openVisits, "open stage visit", sequence);
        open.leftAt = at;
        rows.visits.add(new ContactRows.Visit(sequence, to, at));
    }

    private void changeOwner(long sequence, String owner, Instant at) {
        rows.owner = owner;
        rows.ownerSince = at;
        ContactRows.OwnerPeriod open = null;
        int openPeriods = 0;
        for (ContactRows.OwnerPeriod period : rows.ownerPeriods) {
            if (period.validTo == null) {
                open = period;
                openPeriods++;
            }
        }
        expectOne(openPeriods, "open owner period", sequence);
        open.validTo = at;
        rows.ownerPeriods.add(new ContactRows.OwnerPeriod(sequence, owner, at));
    }

    private void openOpportunity(UUID opportunityId, boolean upsell, Instant at) {
        for (ContactRows.Opportunity opportunity : rows.opportunities) {
            if (opportunity.opportunityId.equals(opportunityId)) {
                // the projection's insert would break the table's primary key here
                throw new IllegalStateException("contact " + rows.contactId + ": opportunity " + opportunityId
                        + " opened twice");
            }
        }
        rows.opportunities.add(new ContactRows.Opportunity(opportunityId, upsell, at));
    }

    private void closeOpportunity(long sequence, UUID opportunityId, boolean won, Instant at) {
        ContactRows.Opportunity open = null;
        int matching = 0;
        for (ContactRows.Opportunity opportunity : rows.opportunities) {
            if (opportunity.opportunityId.equals(opportunityId) && opportunity.closedAt == null) {
                open = opportunity;
                matching++;
            }
        }
        expectOne(matching, "open opportunity " + opportunityId, sequence);
        open.closedAt = at;
        open.outcome = won ? "WON" : "LOST";
    }

    /** The fold holds one contact; an event of another one means its caller mixed two histories. */
    private void sameContact(ContactEvent event, long sequence) {
        if (!rows.contactId.equals(event.contactId())) {
            throw new IllegalStateException("event " + sequence + " of contact " + event.contactId()
                    + " in the history of contact " + rows.contactId);
        }
    }

    private void expectOne(int found, String what, long sequence) {
        if (found != 1) {
            throw new IllegalStateException("contact " + rows.contactId + ", event " + sequence + ": expected one "
                    + what + ", found " + found);
        }
    }

    private static Instant at(ContactEvent event) {
        return Timestamps.floorMicros(event.occurredAt());
    }
}
