package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * Sales confirmed budget, authority, need and timeline: the lead became a prospect (SQL).
 *
 * @param contactId  the contact
 * @param budget     what was learnt about the budget
 * @param authority  who decides
 * @param need       the need
 * @param timeline   when they intend to buy
 * @param fromStage  {@link Stage#LEAD} or {@link Stage#MQL}
 * @param toStage    {@link Stage#PROSPECT}
 * @param occurredAt business time
 */
@Revision("1")
public record LeadQualified(UUID contactId, String budget, String authority, String need, String timeline,
                            Stage fromStage, Stage toStage, Instant occurredAt) implements StageChanged {
}
