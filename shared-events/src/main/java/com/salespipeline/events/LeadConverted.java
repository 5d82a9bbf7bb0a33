package com.salespipeline.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A prospect was converted: an opportunity (deal) was opened (PROSPECT to OPPORTUNITY).
 *
 * @param contactId         the contact
 * @param opportunityId     the opportunity opened by the conversion
 * @param opportunityName   what the deal is about
 * @param amount            the expected amount
 * @param expectedCloseDate optional
 * @param accountName       optional
 * @param fromStage         {@link Stage#PROSPECT}
 * @param toStage           {@link Stage#OPPORTUNITY}
 * @param occurredAt        business time
 */
@Revision("1")
public record LeadConverted(UUID contactId, UUID opportunityId, String opportunityName, Money amount,
                            LocalDate expectedCloseDate, String accountName, Stage fromStage, Stage toStage,
                            Instant occurredAt) implements StageChanged {
}
