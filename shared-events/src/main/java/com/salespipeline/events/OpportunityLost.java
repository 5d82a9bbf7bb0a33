package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * An opportunity was lost. Losing the deal of a converted lead exits the funnel (OPPORTUNITY to LOST);
 * a lost upsell leaves a customer or advocate where it is ({@code fromStage == toStage}).
 *
 * @param contactId     the contact
 * @param opportunityId the opportunity lost
 * @param reason        why it was lost
 * @param upsell        whether this closed an upsell of an existing customer
 * @param fromStage     the stage before
 * @param toStage       {@link Stage#LOST}, or unchanged for an upsell
 * @param occurredAt    business time
 */
@Revision("1")
public record OpportunityLost(UUID contactId, UUID opportunityId, String reason, boolean upsell,
                              Stage fromStage, Stage toStage, Instant occurredAt) implements StageChanged {
}
