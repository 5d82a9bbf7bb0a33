package com.salespipeline.benchmarks.seed;

import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.Stage;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One contact's generated life: its events in order, each with the metadata its command would have given it,
 * and where the contact ended up.
 */
public record GeneratedContact(UUID contactId, String email, List<Event> events, Stage stage,
                               int openOpportunities) {

    /** One event as a command would have produced it: payload plus actor, correlation id and reason. */
    public record Event(ContactEvent payload, Map<String, String> metaData) {
    }
}
