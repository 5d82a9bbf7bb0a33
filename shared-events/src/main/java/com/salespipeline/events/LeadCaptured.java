package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A new contact showed interest and was captured as a lead. Creates the contact.
 *
 * @param contactId  the new contact's id
 * @param name       full name
 * @param email      email address as given; unique among contacts, case-insensitively
 * @param phone      optional
 * @param company    optional
 * @param jobTitle   optional
 * @param source     where the lead came from
 * @param campaign   optional marketing campaign
 * @param owner      optional first owner
 * @param fromStage  always null: the contact did not exist before
 * @param toStage    always {@link Stage#LEAD}
 * @param occurredAt business time of the capture: the start of the contact's cohort
 */
@Revision("1")
public record LeadCaptured(UUID contactId, String name, String email, String phone, String company,
                           String jobTitle, LeadSource source, String campaign, String owner,
                           Stage fromStage, Stage toStage, Instant occurredAt) implements StageChanged {
}
