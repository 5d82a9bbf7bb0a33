package com.salespipeline.command.api;

import com.salespipeline.command.contact.AmountTooPrecise;
import com.salespipeline.command.contact.BantIncomplete;
import com.salespipeline.command.contact.ContactRefused;
import com.salespipeline.command.contact.DuplicateContact;
import com.salespipeline.command.contact.LifecycleCommand;
import com.salespipeline.command.contact.OccurredAtRefused;
import com.salespipeline.command.contact.OpportunityAmbiguous;
import com.salespipeline.command.contact.OpportunityNotOpen;
import com.salespipeline.command.contact.TransitionNotAllowed;
import com.salespipeline.command.contact.VersionMismatch;
import com.salespipeline.common.web.Problems;
import java.util.List;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem details (RFC 9457) of the answers a command itself gives when it is refused: the contact's rules, its
 * version, or no such contact. One place, because the first answer and its replays to an Idempotency-Key's retries
 * must be the same.
 */
final class RefusalProblems {

    private RefusalProblems() {
    }

    /** The refusal's problem details, or empty for a failure that is not a command's answer. */
    static Optional<ProblemDetail> of(RuntimeException failure) {
        if (failure instanceof ContactRefused refusal) {
            return Optional.of(refused(refusal));
        }
        if (failure instanceof AggregateNotFoundException notFound) {
            return Optional.of(unknownContact("no contact with id " + notFound.getAggregateIdentifier()));
        }
        return Optional.empty();
    }

    /** The 404 of a contact id that names no contact. */
    static ProblemDetail unknownContact(String detail) {
        return Problems.of(HttpStatus.NOT_FOUND, "contact-not-found", "Unknown contact", detail);
    }

    private static ProblemDetail refused(ContactRefused refusal) {
        if (refusal instanceof TransitionNotAllowed transition) {
            return transition(transition);
        }
        if (refusal instanceof DuplicateContact duplicate) {
            ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, refusal.code(), "Contact exists already",
                    refusal.getMessage());
            problem.setProperty("existingContactId", duplicate.existingContactId());
            return problem;
        }
        if (refusal instanceof OpportunityNotOpen notOpen) {
            ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, refusal.code(), "Opportunity not open",
                    refusal.getMessage());
            problem.setProperty("currentStage", notOpen.currentStage());
            problem.setProperty("openOpportunityIds", notOpen.openOpportunityIds());
            allowed(problem, notOpen.allowedCommands());
            return problem;
        }
        if (refusal instanceof OpportunityAmbiguous ambiguous) {
            ProblemDetail problem = Problems.invalidFields(refusal.getMessage(), List.of(
                    Problems.fieldError("opportunityId", "required while more than one opportunity is open")));
            problem.setProperty("openOpportunityIds", ambiguous.openOpportunityIds());
            return problem;
        }
        if (refusal instanceof AmountTooPrecise) {
            ProblemDetail problem = Problems.invalidFields(refusal.getMessage(),
                    List.of(Problems.fieldError("amount", refusal.getMessage())));
            problem.setProperty("code", refusal.code());
            return problem;
        }
        if (refusal instanceof OccurredAtRefused) {
            ProblemDetail problem = Problems.invalidFields(refusal.getMessage(),
                    List.of(Problems.fieldError("occurredAt", refusal.getMessage())));
            problem.setProperty("code", refusal.code());
            return problem;
        }
        if (refusal instanceof BantIncomplete bant) {
            ProblemDetail problem = Problems.invalidFields(refusal.getMessage(), bant.missing().stream()
                    .map(field -> Problems.fieldError(field, "must not be blank")).toList());
            problem.setProperty("code", refusal.code());
            return problem;
        }
        if (refusal instanceof VersionMismatch version) {
            ProblemDetail problem = Problems.of(HttpStatus.PRECONDITION_FAILED, refusal.code(), "Version mismatch",
                    refusal.getMessage());
            problem.setProperty("expectedVersion", version.expected());
            problem.setProperty("currentVersion", version.actual());
            return problem;
        }
        return Problems.of(HttpStatus.CONFLICT, refusal.code(), "Command refused", refusal.getMessage());
    }

    private static ProblemDetail transition(TransitionNotAllowed refusal) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, refusal.code(), "Transition not allowed",
                refusal.getMessage());
        problem.setProperty("currentStage", refusal.currentStage());
        problem.setProperty("attemptedCommand", refusal.attempted().commandName());
        allowed(problem, refusal.allowedCommands());
        return problem;
    }

    private static void allowed(ProblemDetail problem, List<LifecycleCommand> commands) {
        problem.setProperty("allowedCommands", commands.stream().map(LifecycleCommand::commandName).toList());
        problem.setProperty("allowedActions", Actions.of(commands));
    }
}
