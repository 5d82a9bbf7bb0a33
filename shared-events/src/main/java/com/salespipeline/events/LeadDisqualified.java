package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The lead was judged not to be a fit (LEAD, MQL or PROSPECT to DISQUALIFIED).
 *
 * @param contactId  the contact
 * @param reason     why
 * @param note       optional free text
 * @param fromStage  the stage before
 * @param toStage    {@link Stage#DISQUALIFIED}
 * @param occurredAt business time
 */
@Revision("1")
public record LeadDisqualified(UUID contactId, DisqualificationReason reason, String note, Stage fromStage,
                               Stage toStage, Instant occurredAt) implements StageChanged {
}
