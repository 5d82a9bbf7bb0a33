package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;

/** Every event of the contact lifecycle: it names its contact and when it happened in business time. */
public interface ContactEvent {
    /** The contact (aggregate) this event belongs to. */
    UUID contactId();

    /** Business time: when it happened, which may be backdated by an import, never in the future. */
    Instant occurredAt();
}
