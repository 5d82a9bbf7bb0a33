package com.salespipeline.command.contact;

import java.time.Instant;
import java.util.UUID;

/** A command to an existing contact. */
public interface ContactCommand {
    UUID contactId();

    /** The version the caller based its decision on (If-Match), or null to act on the latest. */
    Long expectedVersion();

    /** Business time, or null for now. */
    Instant occurredAt();
}
