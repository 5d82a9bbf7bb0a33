package com.salespipeline.command.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.salespipeline.command.contact.CommandOutcome;
import com.salespipeline.events.Stage;
import java.util.UUID;

/** The body of every successful command answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CommandResponse(UUID contactId, Stage stage, long version, UUID opportunityId) {

    static CommandResponse of(CommandOutcome outcome) {
        return new CommandResponse(outcome.contactId(), outcome.stage(), outcome.version(), outcome.opportunityId());
    }
}
