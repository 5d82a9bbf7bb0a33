package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A disqualified or lost contact went back to nurture (DISQUALIFIED or LOST to LEAD).
 *
 * @param contactId  the contact
 * @param reason     why it is worth another try
 * @param fromStage  the exit it left
 * @param toStage    {@link Stage#LEAD}
 * @param occurredAt business time
 */
@Revision("1")
public record ContactRecycled(UUID contactId, String reason, Stage fromStage, Stage toStage,
                              Instant occurredAt) implements StageChanged {
}
