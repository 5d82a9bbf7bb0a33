package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A loyal customer renewed, expanded or referred others (CUSTOMER to ADVOCATE).
 *
 * @param contactId  the contact
 * @param reason     what made it an advocate
 * @param fromStage  {@link Stage#CUSTOMER}
 * @param toStage    {@link Stage#ADVOCATE}
 * @param occurredAt business time
 */
@Revision("1")
public record CustomerBecameAdvocate(UUID contactId, AdvocacyReason reason, Stage fromStage, Stage toStage,
                                     Instant occurredAt) implements StageChanged {
}
