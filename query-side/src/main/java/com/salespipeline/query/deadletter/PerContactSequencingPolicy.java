package com.salespipeline.query.deadletter;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * One sequence per contact: its events are applied in order and parked together. The identifier is the
 * contact id as text, which is what Axon's default per-aggregate policy yields for events read from the
 * event store, so segments keep the same contacts as before this policy existed; unlike the default it
 * also holds for events that arrive from Kafka without aggregate headers (their payload says whose they are).
 */
class PerContactSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        return ContactOfEvent.of(event).<Object>map(contact -> contact).orElseGet(event::getIdentifier);
    }
}
