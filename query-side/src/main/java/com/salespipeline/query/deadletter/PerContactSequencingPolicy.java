package com.salespipeline.query.deadletter;

import com.salespipeline.events.ContactEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * One sequence per contact: its events are applied in order and parked together. The identifier is the
 * contact id as text, which is what Axon's default per-aggregate policy yields for events read from the
 * event store, so segments keep the same contacts as before this policy existed; unlike the default it
 * also holds for events that arrive from Kafka without aggregate headers.
 */
class PerContactSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        return event.getPayload() instanceof ContactEvent contactEvent
                ? contactEvent.contactId().toString()
                : event.getIdentifier();
    }
}
