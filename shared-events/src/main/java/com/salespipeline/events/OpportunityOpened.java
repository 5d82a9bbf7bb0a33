package com.salespipeline.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A customer or advocate got a further opportunity (cross-sell or upsell). Leaves the stage unchanged.
 *
 * @param contactId         the contact
 * @param opportunityId     the new opportunity
 * @param opportunityName   what the deal is about
 * @param amount            the expected amount
 * @param expectedCloseDate optional
 * @param accountName       optional
 * @param occurredAt        business time
 */
@Revision("1")
public record OpportunityOpened(UUID contactId, UUID opportunityId, String opportunityName, Money amount,
                                LocalDate expectedCloseDate, String accountName, Instant occurredAt)
        implements ContactEvent {
}
