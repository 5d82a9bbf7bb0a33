package com.salespipeline.query.deadletter;

import com.salespipeline.events.ContactEvent;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.SerializationException;

/**
 * Whose event this is, as text, read without its payload where the message says it: the contact is the aggregate
 * that stored the event. An event whose payload cannot be read must still be sequenced, parked and listed with its
 * contact; reading the payload to learn the contact threw where Axon only asked which sequence the event belongs to,
 * which stopped the projection of every contact at that event.
 */
final class ContactOfEvent {

    private ContactOfEvent() {
    }

    static Optional<String> of(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            return Optional.of(domain.getAggregateIdentifier());
        }
        try {
            return event.getPayload() instanceof ContactEvent contactEvent
                    ? Optional.of(contactEvent.contactId().toString()) : Optional.empty();
        } catch (SerializationException unreadable) {
            return Optional.empty();
        }
    }
}
