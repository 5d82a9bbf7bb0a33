package com.salespipeline.command.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;

/**
 * Message identifiers that sort by the time they were made: UUIDs of version 7 (RFC 9562), their first 48 bits the
 * milliseconds since the epoch and 74 of the other bits random (a random UUID of version 4 has 122).
 *
 * <p>Why: every stored event's identifier is a key of the event store's unique index on {@code event_identifier}.
 * Random identifiers put each new event on its own page of that index, so every group commit rewrote a leaf and
 * its parent per event (on H2 about a sixth of the bytes a commit wrote); identifiers made one after another land
 * side by side at the index's end. Axon finds this factory through {@code META-INF/services}, for every message it
 * creates. The command API makes the ids a client leaves to the server (contacts, opportunities) with it too: a
 * contact's id leads the keys of the event store's (aggregate, sequence) index, the chain heads and every read
 * model table, so a new contact's rows land beside the last one's instead of on a page of their own.
 */
public final class TimeOrderedIdentifierFactory extends IdentifierFactory {

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long LOW_62_BITS = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long LOW_12_BITS = 0xFFFL;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    /** Used by the service loader. */
    public TimeOrderedIdentifierFactory() {
        this(Clock.systemUTC());
    }

    TimeOrderedIdentifierFactory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String generateIdentifier() {
        return next().toString();
    }

    /** A new version 7 UUID, later than those made in earlier milliseconds. */
    public UUID next() {
        long millis = clock.millis();
        long mostSignificant = (millis << 16) | VERSION_7 | (random.nextLong() & LOW_12_BITS);
        long leastSignificant = VARIANT_RFC | (random.nextLong() & LOW_62_BITS);
        return new UUID(mostSignificant, leastSignificant);
    }
}
