package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * Marketing scored the lead ready for sales follow-up (LEAD to MQL).
 *
 * @param contactId  the contact
 * @param score      the marketing score, 0 to 100
 * @param fromStage  {@link Stage#LEAD}
 * @param toStage    {@link Stage#MQL}
 * @param occurredAt business time
 */
@Revision("1")
public record LeadMarketingQualified(UUID contactId, int score, Stage fromStage, Stage toStage,
                                     Instant occurredAt) implements StageChanged {
}
