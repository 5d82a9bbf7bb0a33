package com.salespipeline.command.contact;

import com.salespipeline.events.Stage;
import java.util.UUID;

/** What a handled command left behind: the contact's stage and version, and the opportunity it opened if any. */
public record CommandOutcome(UUID contactId, Stage stage, long version, UUID opportunityId) {
}
