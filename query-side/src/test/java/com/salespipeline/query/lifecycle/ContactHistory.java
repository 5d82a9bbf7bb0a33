package com.salespipeline.query.lifecycle;

import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.DisqualificationReason;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Builds one contact's valid history, as the command side would record it: sequence numbers from 0,
 * from- and to-stages filled in, upsells closed without a stage change. Refuses what the domain refuses,
 * so that tests cannot feed impossible histories by mistake.
 */
public final class ContactHistory {

    private static final Money AMOUNT = new Money(new BigDecimal("1000.00"), "EUR");

    private final UUID contactId;
    private final List<Envelope> events = new ArrayList<>();
    private final Set<UUID> openOpportunities = new LinkedHashSet<>();
    private Stage stage;
    private String owner;
    private Instant last;

    private ContactHistory(UUID contactId) {
        this.contactId = contactId;
    }

    public static ContactHistory capture(Instant at, LeadSource source, String campaign, String owner) {
        return capture(UUID.randomUUID(), at, source, campaign, owner);
    }

    public static ContactHistory capture(UUID contactId, Instant at, LeadSource source, String campaign,
                                         String owner) {
        return capture(contactId, at, "Ada", contactId.toString(), "Acme", source, campaign, owner);
    }

    /** A capture with the free text of the contact given. */
    public static ContactHistory capture(UUID contactId, Instant at, String givenName, String familyName,
                                         String company, LeadSource source, String campaign, String owner) {
        ContactHistory history = new ContactHistory(contactId);
        history.owner = owner;
        history.add(new LeadCaptured(contactId, givenName, familyName, contactId + "@example.com", null, company, null,
                source, campaign, owner, null, Stage.LEAD, at));
        return history;
    }

    public UUID contactId() {
        return contactId;
    }

    public Stage stage() {
        return stage;
    }

    public Instant last() {
        return last;
    }

    public List<UUID> openOpportunities() {
        return List.copyOf(openOpportunities);
    }

    public List<Envelope> events() {
        return List.copyOf(events);
    }

    public ContactHistory engage(Instant at) {
        return add(new EngagementRecorded(contactId, EngagementType.CALL_HELD, true, null, at));
    }

    public ContactHistory assign(String newOwner, Instant at) {
        ContactHistory history = add(new OwnerAssigned(contactId, newOwner, owner, at));
        owner = newOwner;
        return history;
    }

    public ContactHistory mql(Instant at) {
        return move(Stage.MQL, at, List.of(Stage.LEAD), (from, to) ->
                new LeadMarketingQualified(contactId, 80, from, to, at));
    }

    public ContactHistory qualify(Instant at) {
        return move(Stage.PROSPECT, at, List.of(Stage.LEAD, Stage.MQL), (from, to) ->
                new LeadQualified(contactId, "yes", "cfo", "crm", "q3", from, to, at));
    }

    public ContactHistory convert(Instant at) {
        UUID opportunity = UUID.randomUUID();
        openOpportunities.add(opportunity);
        return move(Stage.OPPORTUNITY, at, List.of(Stage.PROSPECT), (from, to) ->
                new LeadConverted(contactId, opportunity, "Deal", AMOUNT, null, null, from, to, at));
    }

    public ContactHistory win(Instant at) {
        UUID opportunity = onlyOpen();
        openOpportunities.remove(opportunity);
        return move(Stage.CUSTOMER, at, List.of(Stage.OPPORTUNITY), (from, to) ->
                new OpportunityWon(contactId, opportunity, AMOUNT, false, from, to, at));
    }

    public ContactHistory lose(Instant at) {
        UUID opportunity = onlyOpen();
        openOpportunities.remove(opportunity);
        return move(Stage.LOST, at, List.of(Stage.OPPORTUNITY), (from, to) ->
                new OpportunityLost(contactId, opportunity, "price", false, from, to, at));
    }

    public ContactHistory disqualify(Instant at) {
        return move(Stage.DISQUALIFIED, at, List.of(Stage.LEAD, Stage.MQL, Stage.PROSPECT), (from, to) ->
                new LeadDisqualified(contactId, DisqualificationReason.NO_BUDGET, null, from, to, at));
    }

    public ContactHistory recycle(Instant at) {
        return move(Stage.LEAD, at, List.of(Stage.DISQUALIFIED, Stage.LOST), (from, to) ->
                new ContactRecycled(contactId, "nurture", from, to, at));
    }

    public ContactHistory advocate(Instant at) {
        return move(Stage.ADVOCATE, at, List.of(Stage.CUSTOMER), (from, to) ->
                new CustomerBecameAdvocate(contactId, AdvocacyReason.REFERRED, from, to, at));
    }

    public ContactHistory openUpsell(Instant at) {
        require(List.of(Stage.CUSTOMER, Stage.ADVOCATE));
        UUID opportunity = UUID.randomUUID();
        openOpportunities.add(opportunity);
        return add(new OpportunityOpened(contactId, opportunity, "Upsell", AMOUNT, null, null, at));
    }

    public ContactHistory winUpsell(UUID opportunity, Instant at) {
        require(List.of(Stage.CUSTOMER, Stage.ADVOCATE));
        closeUpsell(opportunity);
        return add(new OpportunityWon(contactId, opportunity, AMOUNT, true, stage, stage, at));
    }

    public ContactHistory loseUpsell(UUID opportunity, Instant at) {
        require(List.of(Stage.CUSTOMER, Stage.ADVOCATE));
        closeUpsell(opportunity);
        return add(new OpportunityLost(contactId, opportunity, "no budget", true, stage, stage, at));
    }

    private void closeUpsell(UUID opportunity) {
        if (!openOpportunities.remove(opportunity)) {
            throw new IllegalStateException("opportunity " + opportunity + " is not open");
        }
    }

    private UUID onlyOpen() {
        if (openOpportunities.size() != 1) {
            throw new IllegalStateException("expected one open opportunity, have " + openOpportunities);
        }
        return openOpportunities.iterator().next();
    }

    private interface Transition {
        ContactEvent event(Stage from, Stage to);
    }

    private ContactHistory move(Stage to, Instant at, List<Stage> allowedFrom, Transition transition) {
        require(allowedFrom);
        return add(transition.event(stage, to));
    }

    private void require(List<Stage> allowed) {
        if (!allowed.contains(stage)) {
            throw new IllegalStateException("not allowed from " + stage + " (only from " + allowed + ")");
        }
    }

    private ContactHistory add(ContactEvent event) {
        if (last != null && event.occurredAt().isBefore(last)) {
            throw new IllegalStateException("occurredAt " + event.occurredAt() + " before previous " + last);
        }
        events.add(new Envelope(event, events.size()));
        last = event.occurredAt();
        if (event instanceof com.salespipeline.events.StageChanged change) {
            stage = change.toStage();
        }
        return this;
    }
}
