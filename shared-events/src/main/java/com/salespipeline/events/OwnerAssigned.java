package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The contact got a (new) owner. Leaves the stage unchanged.
 *
 * @param contactId     the contact
 * @param owner         the new owner
 * @param previousOwner the owner before, null if there was none
 * @param occurredAt    business time
 */
@Revision("1")
public record OwnerAssigned(UUID contactId, String owner, String previousOwner, Instant occurredAt)
        implements ContactEvent {
}
