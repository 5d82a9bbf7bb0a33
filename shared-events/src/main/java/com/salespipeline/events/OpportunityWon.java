package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * An opportunity was won: signed or paid. The first win makes the contact a customer
 * (OPPORTUNITY to CUSTOMER); a won upsell leaves a customer or advocate where it is
 * ({@code fromStage == toStage}).
 *
 * @param contactId     the contact
 * @param opportunityId the opportunity won
 * @param amount        the final amount
 * @param upsell        whether this closed an upsell of an existing customer
 * @param fromStage     the stage before
 * @param toStage       {@link Stage#CUSTOMER}, or unchanged for an upsell
 * @param occurredAt    business time
 */
@Revision("1")
public record OpportunityWon(UUID contactId, UUID opportunityId, Money amount, boolean upsell,
                             Stage fromStage, Stage toStage, Instant occurredAt) implements StageChanged {
}
