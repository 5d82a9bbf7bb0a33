package com.salespipeline.events;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A new contact showed interest and was captured as a lead. Creates the contact.
 *
 * <p>Revision 2 splits revision 1's single {@code name} into {@code givenName} and {@code familyName}
 * (see {@link PersonName#parse}); stored revision 1 events are upcast on reading.
 *
 * @param contactId  the new contact's id
 * @param givenName  given name(s)
 * @param familyName family name, null when only one name was given
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
@Revision("2")
public record LeadCaptured(UUID contactId, String givenName, String familyName, String email, String phone,
                           String company, String jobTitle, LeadSource source, String campaign, String owner,
                           Stage fromStage, Stage toStage, Instant occurredAt) implements StageChanged {

    /** The full name: given and family name joined by a space. */
    public String name() {
        return new PersonName(givenName, familyName).fullName();
    }
}
