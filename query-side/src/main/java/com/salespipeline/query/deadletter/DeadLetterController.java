package com.salespipeline.query.deadletter;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The parked events (role ADMIN): which contacts wait and why, and a retry once the cause is fixed (a new
 * release, or a replay that rebuilt the rows the event did not fit). A retry applies a contact's parked
 * events in order and unparks the contact when all of them apply; otherwise they stay parked.
 */
@RestController
@ConditionalOnProperty(name = "pipeline.projections.dead-letters.enabled", havingValue = "true", matchIfMissing = true)
class DeadLetterController {

    private final EventProcessingConfiguration processing;

    DeadLetterController(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @GetMapping(path = "/api/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    ParkedEvents parked(@RequestParam(defaultValue = "100") int limit) {
        try {
            return parkedUpTo(limit);
        } catch (JdbcException e) {
            throw QueueFailures.translated(e);
        }
    }

    private ParkedEvents parkedUpTo(int limit) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = DeadLetterConfiguration.queue(processing);
        List<ParkedContact> contacts = new ArrayList<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            if (contacts.size() >= Math.max(0, limit)) {
                break;
            }
            List<ParkedEvent> events = new ArrayList<>();
            String contactId = null;
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                EventMessage<?> message = letter.message();
                if (contactId == null) {
                    contactId = ContactOfEvent.of(message).orElse(null);
                }
                events.add(new ParkedEvent(message.getIdentifier(), message.getPayloadType().getSimpleName(),
                        message instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null,
                        letter.enqueuedAt(), letter.lastTouched(), letter.cause().map(Cause::type).orElse(null),
                        letter.cause().map(Cause::message).orElse(null)));
            }
            contacts.add(new ParkedContact(contactId, events));
        }
        return new ParkedEvents(queue.size(), queue.amountOfSequences(), contacts);
    }

    @PostMapping(path = "/api/admin/dead-letters/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    RetryOutcome retry() {
        try {
            return retryEachParkedContact();
        } catch (JdbcException e) {
            throw QueueFailures.translated(e);
        }
    }

    private RetryOutcome retryEachParkedContact() {
        SequencedDeadLetterQueue<EventMessage<?>> queue = DeadLetterConfiguration.queue(processing);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing
                .sequencedDeadLetterProcessor(LifecycleProjection.PROCESSING_GROUP)
                .orElseThrow(() -> new IllegalStateException("no dead-letter processor"));
        long parkedBefore = queue.amountOfSequences();
        int unparked = 0;
        // a sequence that fails again is claimed for a while, so each contact gets one attempt per call
        for (long attempt = 0; attempt < parkedBefore; attempt++) {
            if (processor.processAny()) {
                unparked++;
            }
        }
        return new RetryOutcome(parkedBefore, unparked, queue.amountOfSequences());
    }

    /** @param parkedEvents all parked events; @param parkedContacts contacts with parked events */
    record ParkedEvents(long parkedEvents, long parkedContacts, List<ParkedContact> contacts) {
    }

    record ParkedContact(String contactId, List<ParkedEvent> events) {
    }

    /** @param sequenceNumber the event's sequence in the contact's history, when known */
    record ParkedEvent(String eventId, String type, Long sequenceNumber, Instant parkedAt, Instant lastTriedAt,
                       String causeType, String causeMessage) {
    }

    record RetryOutcome(long parkedContactsBefore, int unparkedContacts, long parkedContactsAfter) {
    }
}
