package com.salespipeline.command.contact;

import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.DisqualificationReason;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands of the contact lifecycle, imperative and immutable. */
public final class Commands {

    private Commands() {
    }

    public record CaptureLead(UUID contactId, String name, String email, String phone, String company,
                              String jobTitle, LeadSource source, String campaign, String owner,
                              Instant occurredAt) {
    }

    public record RecordEngagement(@TargetAggregateIdentifier UUID contactId, Long expectedVersion,
                                   EngagementType type, String note, Instant occurredAt) implements ContactCommand {
    }

    public record AssignOwner(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, String owner,
                              Instant occurredAt) implements ContactCommand {
    }

    public record MarkMarketingQualified(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, int score,
                                         Instant occurredAt) implements ContactCommand {
    }

    public record QualifyLead(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, String budget,
                              String authority, String need, String timeline, Instant occurredAt)
            implements ContactCommand {
    }

    public record ConvertLead(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, UUID opportunityId,
                              String opportunityName, Money amount, LocalDate expectedCloseDate, String accountName,
                              Instant occurredAt) implements ContactCommand {
    }

    public record OpenOpportunity(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, UUID opportunityId,
                                  String opportunityName, Money amount, LocalDate expectedCloseDate,
                                  String accountName, Instant occurredAt) implements ContactCommand {
    }

    /** {@code opportunityId} may be null when exactly one is open; {@code finalAmount} null keeps the expected amount. */
    public record CloseWon(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, UUID opportunityId,
                           BigDecimal finalAmount, Instant occurredAt) implements ContactCommand {
    }

    public record CloseLost(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, UUID opportunityId,
                            String reason, Instant occurredAt) implements ContactCommand {
    }

    public record DisqualifyLead(@TargetAggregateIdentifier UUID contactId, Long expectedVersion,
                                 DisqualificationReason reason, String note, Instant occurredAt)
            implements ContactCommand {
    }

    public record RecycleContact(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, String reason,
                                 Instant occurredAt) implements ContactCommand {
    }

    public record MarkAdvocate(@TargetAggregateIdentifier UUID contactId, Long expectedVersion, AdvocacyReason reason,
                               Instant occurredAt) implements ContactCommand {
    }
}
