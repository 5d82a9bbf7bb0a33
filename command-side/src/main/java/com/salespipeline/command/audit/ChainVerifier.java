package com.salespipeline.command.audit;

import com.salespipeline.command.audit.EventChain.StoredEvent;
import com.salespipeline.command.audit.StoredEvents.Head;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Recomputes a contact's chain from the stored events and finds the first link that does not hold: a
 * changed payload or metadata, a missing event, events out of place, or latest events cut off.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    public static ChainVerification verify(UUID contactId, List<StoredEvent> events, Optional<Head> head) {
        String previous = EventChain.GENESIS;
        long expected = 0;
        for (StoredEvent event : events) {
            if (event.sequenceNumber() != expected) {
                return broken(contactId, events, expected, "expected the event with sequence " + expected
                        + " but found sequence " + event.sequenceNumber() + ": an event is missing or out of place");
            }
            String hash = EventChain.hash(previous, event);
            if (!hash.equals(EventChain.storedHash(event.metaData()))) {
                return broken(contactId, events, expected,
                        "the stored event differs from what was hashed when it was stored");
            }
            previous = hash;
            expected++;
        }
        if (head.isEmpty()) {
            return events.isEmpty() ? new ChainVerification(contactId, 0, true, null, null)
                    : broken(contactId, events, 0, "the contact's chain head is missing");
        }
        long last = expected - 1;
        if (head.get().sequence() > last) {
            return broken(contactId, events, last + 1, "events up to sequence " + head.get().sequence()
                    + " were stored, but the history ends at " + last);
        }
        if (head.get().sequence() < last || !head.get().hash().equals(previous)) {
            return broken(contactId, events, head.get().sequence(), "the chain head does not match the stored events");
        }
        return new ChainVerification(contactId, events.size(), true, null, null);
    }

    private static ChainVerification broken(UUID contactId, List<StoredEvent> events, long sequence, String problem) {
        return new ChainVerification(contactId, events.size(), false, sequence, problem);
    }
}
