package com.salespipeline.command.audit;

import com.salespipeline.command.audit.EventChain.StoredEvent;
import com.salespipeline.command.audit.StoredEvents.Head;
import java.util.ArrayList;
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
        Links links = links(contactId, events);
        if (links.broken() != null) {
            return links.broken();
        }
        if (head.isEmpty()) {
            return events.isEmpty() ? new ChainVerification(contactId, 0, true, null, null)
                    : broken(contactId, events, 0, "the contact's chain head is missing");
        }
        long last = events.size() - 1;
        if (head.get().sequence() > last) {
            return cutOff(contactId, events, head.get());
        }
        if (head.get().sequence() < last || !head.get().hash().equals(links.hashAt(last))) {
            return broken(contactId, events, head.get().sequence(), "the chain head does not match the stored events");
        }
        return new ChainVerification(contactId, events.size(), true, null, null);
    }

    /**
     * As {@link #verify}, for a head read before the events: they may go on past it (appended since), but the event
     * at the head's sequence must carry the head's hash.
     */
    public static ChainVerification verifyCovering(UUID contactId, List<StoredEvent> events, Head head) {
        Links links = links(contactId, events);
        if (links.broken() != null) {
            return links.broken();
        }
        if (head.sequence() > events.size() - 1) {
            return cutOff(contactId, events, head);
        }
        if (!head.hash().equals(links.hashAt(head.sequence()))) {
            return broken(contactId, events, head.sequence(), "the chain head does not match the stored events");
        }
        return new ChainVerification(contactId, events.size(), true, null, null);
    }

    /** Each event's link recomputed from the one before, or the first that does not hold. */
    private static Links links(UUID contactId, List<StoredEvent> events) {
        List<String> hashes = new ArrayList<>(events.size());
        String previous = EventChain.GENESIS;
        for (StoredEvent event : events) {
            long expected = hashes.size();
            if (event.sequenceNumber() != expected) {
                return new Links(broken(contactId, events, expected, "expected the event with sequence " + expected
                        + " but found sequence " + event.sequenceNumber() + ": an event is missing or out of place"),
                        hashes);
            }
            String hash = EventChain.hash(previous, event);
            if (!hash.equals(EventChain.storedHash(event.metaData()))) {
                return new Links(broken(contactId, events, expected,
                        "the stored event differs from what was hashed when it was stored"), hashes);
            }
            hashes.add(hash);
            previous = hash;
        }
        return new Links(null, hashes);
    }

    private record Links(ChainVerification broken, List<String> hashes) {
        String hashAt(long sequence) {
            return sequence < 0 ? EventChain.GENESIS : hashes.get((int) sequence);
        }
    }

    private static ChainVerification cutOff(UUID contactId, List<StoredEvent> events, Head head) {
        return broken(contactId, events, events.size(), "events up to sequence " + head.sequence()
                + " were stored, but the history ends at " + (events.size() - 1));
    }

    private static ChainVerification broken(UUID contactId, List<StoredEvent> events, long sequence, String problem) {
        return new ChainVerification(contactId, events.size(), false, sequence, problem);
    }
}
