package com.salespipeline.query.contact;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import java.time.Instant;
import java.util.UUID;

/** A contact as it stands now: the read model's row, {@code version} being its last applied event. */
public record ContactView(UUID contactId, Stage stage, LeadSource source, String campaign, String owner,
                          Instant capturedAt, Instant stageEnteredAt, long version, String name, String email,
                          String company) {
}
