package com.salespipeline.query.lifecycle;

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
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Keeps the contact lifecycle rows that every report reads. Idempotent by construction: each event first
 * claims its sequence number on the contact's row ({@code version < sequence}) in the same transaction as
 * its changes, so an event delivered again changes nothing. Events of one contact arrive in order; an
 * event that does not fit the rows (unknown contact, wrong from-stage, nothing open to close) fails
 * loudly instead of being skipped.
 */
@ProcessingGroup(LifecycleProjection.PROCESSING_GROUP)
public class LifecycleProjection {

    public static final String PROCESSING_GROUP = "pipeline-projections";

    private final LifecycleRows rows;
    private final ReportAggregates aggregates;
    private final EventWrites writes;

    public LifecycleProjection(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.rows = new LifecycleRows(jdbc);
        this.aggregates = new ReportAggregates(jdbc);
        // inside the event processor's transaction when there is one: rows and token commit together
        this.writes = new EventWrites(transactionManager);
    }

    @EventHandler
    public void on(LeadCaptured event, @SequenceNumber long sequence) {
        writes.apply(event.contactId(), sequence, () -> {
            Long version = rows.insertContactUnlessKnown(event, sequence, at(event));
            if (version == null) {
                aggregates.captured(event.source().name(), event.campaign(), event.owner(), at(event));
            } else if (sequence > version) {
                throw new EventRefused("contact " + event.contactId() + " captured again by event "
                        + sequence + " after event " + version);
            }
        });
    }

    @EventHandler
    public void on(EngagementRecorded event, @SequenceNumber long sequence) {
        apply(event, sequence, false, contact -> { });
    }

    @EventHandler
    public void on(OwnerAssigned event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> rows.changeOwner(contact, sequence, event.owner(), at(event)));
    }

    @EventHandler
    public void on(LeadMarketingQualified event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> { });
    }

    @EventHandler
    public void on(LeadQualified event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> { });
    }

    @EventHandler
    public void on(LeadConverted event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> rows.openOpportunity(contact, event.opportunityId(), false, at(event)));
    }

    @EventHandler
    public void on(OpportunityOpened event, @SequenceNumber long sequence) {
        apply(event, sequence, false, contact -> rows.openOpportunity(contact, event.opportunityId(), true, at(event)));
    }

    @EventHandler
    public void on(OpportunityWon event, @SequenceNumber long sequence) {
        apply(event, sequence, true,
                contact -> rows.closeOpportunity(contact, sequence, event.opportunityId(), true, at(event)));
    }

    @EventHandler
    public void on(OpportunityLost event, @SequenceNumber long sequence) {
        apply(event, sequence, true,
                contact -> rows.closeOpportunity(contact, sequence, event.opportunityId(), false, at(event)));
    }

    @EventHandler
    public void on(LeadDisqualified event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> { });
    }

    @EventHandler
    public void on(ContactRecycled event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> { });
    }

    @EventHandler
    public void on(CustomerBecameAdvocate event, @SequenceNumber long sequence) {
        apply(event, sequence, true, contact -> { });
    }

    /**
     * Claims the sequence and, if the event moves the contact to another stage, moves it; then the
     * event's own changes, and those to the report aggregates when the event can change them ({@code
     * counted}). Nothing at all for an event applied before.
     */
    private void apply(ContactEvent event, long sequence, boolean counted, Consumer<UUID> changes) {
        UUID contact = event.contactId();
        Instant at = at(event);
        writes.apply(contact, sequence, () -> {
            // the counts move from where the contact stood, which the claim overwrites
            ReportAggregates.ContactState before;
            boolean claimed;
            if (event instanceof StageChanged change && change.changesStage()) {
                LifecycleRows.StageMove move = rows.moveStage(contact, sequence, change.fromStage(),
                        change.toStage(), at, aggregates);
                before = move.before();
                claimed = move.claimed();
            } else {
                before = counted ? aggregates.state(contact) : null;
                claimed = rows.claim(contact, sequence, at);
            }
            if (!claimed) {
                refuseUnlessAppliedBefore(event, sequence);
                return;
            }
            changes.accept(contact);
            if (counted) {
                aggregates.applied(before, event, at);
            }
        });
    }

    private void refuseUnlessAppliedBefore(ContactEvent event, long sequence) {
        Long version = rows.version(event.contactId());
        if (version == null) {
            throw new EventRefused(event.getClass().getSimpleName() + " (event " + sequence
                    + ") for contact " + event.contactId() + ", whose LeadCaptured was never applied");
        }
        if (sequence > version) {
            Stage stage = rows.stage(event.contactId());
            throw new EventRefused(event.getClass().getSimpleName() + " (event " + sequence
                    + ") moves contact " + event.contactId() + " from " + ((StageChanged) event).fromStage()
                    + " but the read model has it in " + stage + " after event " + version);
        }
    }

    private static Instant at(ContactEvent event) {
        return Timestamps.floorMicros(event.occurredAt());
    }
}
