package com.salespipeline.command.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.DisqualificationReason;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.LeadSource;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** The JSON bodies of the command endpoints, as api.md gives them. */
final class CommandRequests {

    private CommandRequests() {
    }

    record CaptureLeadRequest(UUID contactId,
                              @NotBlank @Size(max = 200) String name,
                              @NotBlank @Email @Size(max = 320) String email,
                              @Size(max = 50) String phone,
                              @Size(max = 200) String company,
                              @Size(max = 200) String jobTitle,
                              @NotNull LeadSource source,
                              @Size(max = 200) String campaign,
                              @Size(max = 200) String owner,
                              Instant occurredAt) {

        CaptureLeadRequest {
            // spaces around an address are a slip of the client's, not part of it: gone before @Email looks
            email = email == null ? null : email.strip();
        }
    }

    record RecordEngagementRequest(@NotNull EngagementType type, @Size(max = 2000) String note, Instant occurredAt) {
    }

    record AssignOwnerRequest(@NotBlank @Size(max = 200) String owner, Instant occurredAt) {
    }

    record MarkMqlRequest(@NotNull @Min(0) @Max(100) Integer score, @Size(max = 2000) String reason,
                          Instant occurredAt) {
    }

    record QualifyRequest(@NotBlank @Size(max = 2000) String budget,
                          @NotBlank @Size(max = 2000) String authority,
                          @NotBlank @Size(max = 2000) String need,
                          @NotBlank @Size(max = 2000) String timeline,
                          Instant occurredAt) {
    }

    record OpportunityRequest(@NotBlank @Size(max = 200) String opportunityName,
                              @NotNull @PositiveOrZero @JsonDeserialize(using = DecimalString.class)
                              BigDecimal amount,
                              @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO-4217 code such as EUR")
                              String currency,
                              LocalDate expectedCloseDate,
                              @Size(max = 200) String accountName,
                              Instant occurredAt) {
    }

    record CloseWonRequest(UUID opportunityId,
                           @PositiveOrZero @JsonDeserialize(using = DecimalString.class) BigDecimal amount,
                           Instant occurredAt) {
    }

    record CloseLostRequest(UUID opportunityId, @NotBlank @Size(max = 2000) String reason, Instant occurredAt) {
    }

    record DisqualifyRequest(@NotNull DisqualificationReason reason, @Size(max = 2000) String note,
                             Instant occurredAt) {
    }

    record RecycleRequest(@NotBlank @Size(max = 2000) String reason, Instant occurredAt) {
    }

    record MarkAdvocateRequest(@NotNull AdvocacyReason reason, Instant occurredAt) {
    }
}
