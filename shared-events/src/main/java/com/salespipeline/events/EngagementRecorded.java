package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * An interaction with the contact happened. Leaves the stage unchanged.
 *
 * @param contactId  the contact
 * @param type       what kind of interaction
 * @param twoWay     whether the contact took part (copied from the type so readers need no table)
 * @param note       optional free text
 * @param occurredAt business time
 */
@Revision("1")
public record EngagementRecorded(UUID contactId, EngagementType type, boolean twoWay, String note,
                                 Instant occurredAt) implements ContactEvent {
}
