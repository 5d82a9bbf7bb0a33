package com.salespipeline.command.api;

import com.salespipeline.command.api.CommandRequests.AssignOwnerRequest;
import com.salespipeline.command.api.CommandRequests.CaptureLeadRequest;
import com.salespipeline.command.api.CommandRequests.CloseLostRequest;
import com.salespipeline.command.api.CommandRequests.CloseWonRequest;
import com.salespipeline.command.api.CommandRequests.DisqualifyRequest;
import com.salespipeline.command.api.CommandRequests.MarkAdvocateRequest;
import com.salespipeline.command.api.CommandRequests.MarkMqlRequest;
import com.salespipeline.command.api.CommandRequests.OpportunityRequest;
import com.salespipeline.command.api.CommandRequests.QualifyRequest;
import com.salespipeline.command.api.CommandRequests.RecordEngagementRequest;
import com.salespipeline.command.api.CommandRequests.RecycleRequest;
import com.salespipeline.command.contact.Commands.AssignOwner;
import com.salespipeline.command.contact.Commands.CaptureLead;
import com.salespipeline.command.contact.Commands.CloseLost;
import com.salespipeline.command.contact.Commands.CloseWon;
import com.salespipeline.command.contact.Commands.ConvertLead;
import com.salespipeline.command.contact.Commands.DisqualifyLead;
import com.salespipeline.command.contact.Commands.MarkAdvocate;
import com.salespipeline.command.contact.Commands.MarkMarketingQualified;
import com.salespipeline.command.contact.Commands.OpenOpportunity;
import com.salespipeline.command.contact.Commands.QualifyLead;
import com.salespipeline.command.contact.Commands.RecordEngagement;
import com.salespipeline.command.contact.Commands.RecycleContact;
import com.salespipeline.command.store.TimeOrderedIdentifierFactory;
import com.salespipeline.events.Money;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.Currency;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command endpoints of api.md: one per lifecycle command. They answer JSON only, and say so: a request that
 * accepts no JSON is refused with 406 before its command runs, not after its events are stored.
 */
@RestController
@RequestMapping(path = "/api/contacts", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
class ContactCommandController {

    private final CommandSender sender;
    private final TimeOrderedIdentifierFactory newIds = new TimeOrderedIdentifierFactory();

    ContactCommandController(CommandSender sender) {
        this.sender = sender;
    }

    @PostMapping
    ResponseEntity<CommandResponse> capture(@Valid @RequestBody CaptureLeadRequest body, HttpServletRequest http,
                                            Authentication caller) {
        String ifMatch = http.getHeader(HttpHeaders.IF_MATCH);
        if (ifMatch != null && !ifMatch.isBlank()) {
            throw new NoVersionToMatch(ifMatch.trim());
        }
        UUID contactId = body.contactId() != null ? body.contactId() : newIds.next();
        CaptureLead command = new CaptureLead(contactId, body.name().trim(), body.email().trim(),
                optional(body.phone()), optional(body.company()), optional(body.jobTitle()), body.source(),
                optional(body.campaign()), optional(body.owner()), body.occurredAt());
        return sender.send(command, HttpStatus.CREATED, null, body, http, caller);
    }

    @PostMapping("/{id}/engagements")
    ResponseEntity<CommandResponse> engagement(@PathVariable UUID id, @Valid @RequestBody RecordEngagementRequest body,
                                               HttpServletRequest http, Authentication caller) {
        String note = noneIfBlank(body.note());
        var command = new RecordEngagement(id, CommandSender.expectedVersion(http), body.type(), note,
                body.occurredAt());
        return sender.send(command, HttpStatus.OK, note, body, http, caller);
    }

    @PostMapping("/{id}/assign-owner")
    ResponseEntity<CommandResponse> assignOwner(@PathVariable UUID id, @Valid @RequestBody AssignOwnerRequest body,
                                                HttpServletRequest http, Authentication caller) {
        var command = new AssignOwner(id, CommandSender.expectedVersion(http), body.owner().trim(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, null, body, http, caller);
    }

    @PostMapping("/{id}/mark-mql")
    ResponseEntity<CommandResponse> markMql(@PathVariable UUID id, @Valid @RequestBody MarkMqlRequest body,
                                            HttpServletRequest http, Authentication caller) {
        var command = new MarkMarketingQualified(id, CommandSender.expectedVersion(http), body.score(),
                body.occurredAt());
        return sender.send(command, HttpStatus.OK, body.reason(), body, http, caller);
    }

    @PostMapping("/{id}/qualify")
    ResponseEntity<CommandResponse> qualify(@PathVariable UUID id, @Valid @RequestBody QualifyRequest body,
                                            HttpServletRequest http, Authentication caller) {
        var command = new QualifyLead(id, CommandSender.expectedVersion(http), body.budget(), body.authority(),
                body.need(), body.timeline(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, null, body, http, caller);
    }

    @PostMapping("/{id}/convert")
    ResponseEntity<CommandResponse> convert(@PathVariable UUID id, @Valid @RequestBody OpportunityRequest body,
                                            HttpServletRequest http, Authentication caller) {
        var command = new ConvertLead(id, CommandSender.expectedVersion(http), newIds.next(),
                body.opportunityName(), money(body), body.expectedCloseDate(), body.accountName(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, null, body, http, caller);
    }

    @PostMapping("/{id}/open-opportunity")
    ResponseEntity<CommandResponse> openOpportunity(@PathVariable UUID id, @Valid @RequestBody OpportunityRequest body,
                                                    HttpServletRequest http, Authentication caller) {
        var command = new OpenOpportunity(id, CommandSender.expectedVersion(http), newIds.next(),
                body.opportunityName(), money(body), body.expectedCloseDate(), body.accountName(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, null, body, http, caller);
    }

    @PostMapping("/{id}/close-won")
    ResponseEntity<CommandResponse> closeWon(@PathVariable UUID id, @Valid @RequestBody CloseWonRequest body,
                                             HttpServletRequest http, Authentication caller) {
        var command = new CloseWon(id, CommandSender.expectedVersion(http), body.opportunityId(), body.amount(),
                body.occurredAt());
        return sender.send(command, HttpStatus.OK, null, body, http, caller);
    }

    @PostMapping("/{id}/close-lost")
    ResponseEntity<CommandResponse> closeLost(@PathVariable UUID id, @Valid @RequestBody CloseLostRequest body,
                                              HttpServletRequest http, Authentication caller) {
        var command = new CloseLost(id, CommandSender.expectedVersion(http), body.opportunityId(), body.reason(),
                body.occurredAt());
        return sender.send(command, HttpStatus.OK, body.reason(), body, http, caller);
    }

    @PostMapping("/{id}/disqualify")
    ResponseEntity<CommandResponse> disqualify(@PathVariable UUID id, @Valid @RequestBody DisqualifyRequest body,
                                               HttpServletRequest http, Authentication caller) {
        String note = noneIfBlank(body.note());
        var command = new DisqualifyLead(id, CommandSender.expectedVersion(http), body.reason(), note,
                body.occurredAt());
        String reason = note == null ? body.reason().name() : body.reason().name() + ": " + note;
        return sender.send(command, HttpStatus.OK, reason, body, http, caller);
    }

    @PostMapping("/{id}/recycle")
    ResponseEntity<CommandResponse> recycle(@PathVariable UUID id, @Valid @RequestBody RecycleRequest body,
                                            HttpServletRequest http, Authentication caller) {
        var command = new RecycleContact(id, CommandSender.expectedVersion(http), body.reason(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, body.reason(), body, http, caller);
    }

    @PostMapping("/{id}/mark-advocate")
    ResponseEntity<CommandResponse> markAdvocate(@PathVariable UUID id, @Valid @RequestBody MarkAdvocateRequest body,
                                                 HttpServletRequest http, Authentication caller) {
        var command = new MarkAdvocate(id, CommandSender.expectedVersion(http), body.reason(), body.occurredAt());
        return sender.send(command, HttpStatus.OK, body.reason().name(), body, http, caller);
    }

    private static Money money(OpportunityRequest body) {
        Currency currency;
        try {
            currency = Currency.getInstance(body.currency());
        } catch (IllegalArgumentException e) {
            throw new InvalidField("currency", "'" + body.currency() + "' is not an ISO-4217 currency code");
        }
        // XXX (no currency), XTS (testing), gold and the like: codes of ISO-4217 that no deal is paid in
        if (currency.getDefaultFractionDigits() < 0) {
            throw new InvalidField("currency", "'" + body.currency() + "' is an ISO-4217 code without minor units,"
                    + " not a currency a deal is paid in");
        }
        return new Money(body.amount(), body.currency());
    }

    /**
     * An optional text as the reports and the audit should see it: trimmed, as assign-owner trims the owner, and
     * none when blank, so that {@code "campaign": ""} is the same contact as no campaign, not a group of its own.
     */
    private static String optional(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** A note is kept as written, but a blank one ({@link StorableText} reads it as empty) is none. */
    private static String noneIfBlank(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
