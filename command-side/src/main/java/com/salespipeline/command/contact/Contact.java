package com.salespipeline.command.contact;

import static com.salespipeline.command.contact.LifecycleCommand.ASSIGN_OWNER;
import static com.salespipeline.command.contact.LifecycleCommand.CLOSE_LOST;
import static com.salespipeline.command.contact.LifecycleCommand.CLOSE_WON;
import static com.salespipeline.command.contact.LifecycleCommand.CONVERT_LEAD;
import static com.salespipeline.command.contact.LifecycleCommand.DISQUALIFY_LEAD;
import static com.salespipeline.command.contact.LifecycleCommand.MARK_ADVOCATE;
import static com.salespipeline.command.contact.LifecycleCommand.MARK_MARKETING_QUALIFIED;
import static com.salespipeline.command.contact.LifecycleCommand.OPEN_OPPORTUNITY;
import static com.salespipeline.command.contact.LifecycleCommand.QUALIFY_LEAD;
import static com.salespipeline.command.contact.LifecycleCommand.RECORD_ENGAGEMENT;
import static com.salespipeline.command.contact.LifecycleCommand.RECYCLE_CONTACT;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.salespipeline.command.contact.Commands.AssignOwner;
import com.salespipeline.command.contact.Commands.CaptureLead;
import com.salespipeline.command.contact.Commands.CloseLost;
import com.salespipeline.command.contact.Commands.CloseWon;
import com.salespipeline.command.contact.Commands.ConvertLead;
import com.salespipeline.command.contact.Commands.DisqualifyLead;
import com.salespipeline.command.contact.Commands.MarkAdvocate;
import com.salespipeline.command.contact.Commands.MarkMarketingQualified;
import com.salespipeline.command.contact.Commands.OpenOpportunity;
import com.salespipeline.command.contact.Commands.QualifyLead;
import com.salespipeline.command.contact.Commands.RecordEngagement;
import com.salespipeline.command.contact.Commands.RecycleContact;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.Money;
import com.salespipeline.events.PersonName;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import com.salespipeline.events.StageChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A contact on its way through the funnel. Holds only what decisions need: the stage, the time of the
 * last event, whether a two-way engagement happened, and the open opportunities.
 */
@Aggregate(snapshotTriggerDefinition = "contactSnapshotTrigger", cache = "contactCache")
// a snapshot holds these fields as they were when it was taken: Axon ignores snapshots of another revision and loads
// the contact from its events, so the revision goes up whenever a field is added, removed or changes its meaning
@Revision("1")
public class Contact {

    @AggregateIdentifier
    private UUID contactId;
    private Stage stage;
    private String owner;
    private Instant lastOccurredAt;
    private boolean twoWayEngaged;
    private Map<UUID, Money> openOpportunities = new LinkedHashMap<>();

    protected Contact() {
        // for Axon and snapshots
    }

    Contact(CaptureLead command, BusinessTime time) {
        PersonName name = PersonName.parse(command.name());
        apply(new LeadCaptured(command.contactId(), name.givenName(), name.familyName(), command.email(), command.phone(),
                command.company(), command.jobTitle(), command.source(), command.campaign(), command.owner(),
                null, Stage.LEAD, time.resolve(command.occurredAt(), null)));
    }

    @CommandHandler
    public CommandOutcome handle(RecordEngagement command, BusinessTime time) {
        Instant at = accept(RECORD_ENGAGEMENT, command, time);
        apply(new EngagementRecorded(contactId, command.type(), command.type().isTwoWay(), command.note(), at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(AssignOwner command, BusinessTime time) {
        Instant at = accept(ASSIGN_OWNER, command, time);
        apply(new OwnerAssigned(contactId, command.owner(), owner, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(MarkMarketingQualified command, BusinessTime time) {
        Instant at = accept(MARK_MARKETING_QUALIFIED, command, time);
        apply(new LeadMarketingQualified(contactId, command.score(), stage, Stage.MQL, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(QualifyLead command, BusinessTime time, QualificationPolicy policy) {
        Instant at = accept(QUALIFY_LEAD, command, time);
        requireBant(command);
        if (policy.requireTwoWayEngagement() && !twoWayEngaged) {
            throw new TwoWayEngagementRequired(stage, allowedNow());
        }
        apply(new LeadQualified(contactId, command.budget(), command.authority(), command.need(),
                command.timeline(), stage, Stage.PROSPECT, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(ConvertLead command, BusinessTime time) {
        Instant at = accept(CONVERT_LEAD, command, time);
        requirePayable(command.amount());
        apply(new LeadConverted(contactId, command.opportunityId(), command.opportunityName(), command.amount(),
                command.expectedCloseDate(), command.accountName(), stage, Stage.OPPORTUNITY, at));
        return outcome(command.opportunityId());
    }

    @CommandHandler
    public CommandOutcome handle(OpenOpportunity command, BusinessTime time) {
        Instant at = accept(OPEN_OPPORTUNITY, command, time);
        requirePayable(command.amount());
        apply(new OpportunityOpened(contactId, command.opportunityId(), command.opportunityName(), command.amount(),
                command.expectedCloseDate(), command.accountName(), at));
        return outcome(command.opportunityId());
    }

    @CommandHandler
    public CommandOutcome handle(CloseWon command, BusinessTime time) {
        Instant at = accept(CLOSE_WON, command, time);
        UUID opportunity = openOpportunity(command.opportunityId());
        Money expected = openOpportunities.get(opportunity);
        Money amount = command.finalAmount() == null ? expected : new Money(command.finalAmount(), expected.currency());
        requirePayable(amount);
        boolean upsell = stage != Stage.OPPORTUNITY;
        apply(new OpportunityWon(contactId, opportunity, amount, upsell, stage, upsell ? stage : Stage.CUSTOMER, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(CloseLost command, BusinessTime time) {
        Instant at = accept(CLOSE_LOST, command, time);
        UUID opportunity = openOpportunity(command.opportunityId());
        boolean upsell = stage != Stage.OPPORTUNITY;
        apply(new OpportunityLost(contactId, opportunity, command.reason(), upsell, stage,
                upsell ? stage : Stage.LOST, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(DisqualifyLead command, BusinessTime time) {
        Instant at = accept(DISQUALIFY_LEAD, command, time);
        apply(new LeadDisqualified(contactId, command.reason(), command.note(), stage, Stage.DISQUALIFIED, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(RecycleContact command, BusinessTime time) {
        Instant at = accept(RECYCLE_CONTACT, command, time);
        apply(new ContactRecycled(contactId, command.reason(), stage, Stage.LEAD, at));
        return outcome(null);
    }

    @CommandHandler
    public CommandOutcome handle(MarkAdvocate command, BusinessTime time) {
        Instant at = accept(MARK_ADVOCATE, command, time);
        apply(new CustomerBecameAdvocate(contactId, command.reason(), stage, Stage.ADVOCATE, at));
        return outcome(null);
    }

    /** Checks the expected version and the transition table, and decides the event's business time. */
    private Instant accept(LifecycleCommand command, ContactCommand message, BusinessTime time) {
        long version = currentVersion();
        if (message.expectedVersion() != null && message.expectedVersion() != version) {
            throw new VersionMismatch(message.expectedVersion(), version);
        }
        if (!command.isAllowed(stage, openOpportunities.size())) {
            throw new TransitionNotAllowed(stage, command, allowedNow());
        }
        return time.resolve(message.occurredAt(), lastOccurredAt);
    }

    /** An amount in whole minor units of its currency (cents, yen); trailing zeros are no more precision. */
    private static void requirePayable(Money money) {
        int minorUnits = Currency.getInstance(money.currency()).getDefaultFractionDigits();
        if (minorUnits >= 0 && money.amount().stripTrailingZeros().scale() > minorUnits) {
            throw new AmountTooPrecise(money, minorUnits);
        }
    }

    private static void requireBant(QualifyLead command) {
        List<String> missing = new ArrayList<>();
        if (isBlank(command.budget())) {
            missing.add("budget");
        }
        if (isBlank(command.authority())) {
            missing.add("authority");
        }
        if (isBlank(command.need())) {
            missing.add("need");
        }
        if (isBlank(command.timeline())) {
            missing.add("timeline");
        }
        if (!missing.isEmpty()) {
            throw new BantIncomplete(missing);
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private UUID openOpportunity(UUID requested) {
        List<UUID> open = new ArrayList<>(openOpportunities.keySet());
        if (requested == null) {
            if (open.size() > 1) {
                throw new OpportunityAmbiguous(open);
            }
            return open.get(0);
        }
        if (!openOpportunities.containsKey(requested)) {
            throw new OpportunityNotOpen(requested, stage, open, allowedNow());
        }
        return requested;
    }

    private List<LifecycleCommand> allowedNow() {
        return LifecycleCommand.allowedIn(stage, openOpportunities.size());
    }

    private CommandOutcome outcome(UUID openedOpportunity) {
        return new CommandOutcome(contactId, stage, currentVersion(), openedOpportunity);
    }

    private static long currentVersion() {
        Long version = AggregateLifecycle.getVersion();
        return version == null ? -1 : version;
    }

    @EventSourcingHandler
    void on(LeadCaptured event) {
        contactId = event.contactId();
        owner = event.owner();
        follow(event);
    }

    @EventSourcingHandler
    void on(EngagementRecorded event) {
        twoWayEngaged |= event.twoWay();
        follow(event);
    }

    @EventSourcingHandler
    void on(OwnerAssigned event) {
        owner = event.owner();
        follow(event);
    }

    @EventSourcingHandler
    void on(LeadConverted event) {
        openOpportunities.put(event.opportunityId(), event.amount());
        follow(event);
    }

    @EventSourcingHandler
    void on(OpportunityOpened event) {
        openOpportunities.put(event.opportunityId(), event.amount());
        follow(event);
    }

    @EventSourcingHandler
    void on(OpportunityWon event) {
        openOpportunities.remove(event.opportunityId());
        follow(event);
    }

    @EventSourcingHandler
    void on(OpportunityLost event) {
        openOpportunities.remove(event.opportunityId());
        follow(event);
    }

    /** Every other stage change needs no state beyond the stage itself. */
    @EventSourcingHandler
    void on(StageChanged event) {
        follow(event);
    }

    private void follow(ContactEvent event) {
        lastOccurredAt = event.occurredAt();
        if (event instanceof StageChanged change) {
            stage = change.toStage();
        }
    }
}
