package com.salespipeline.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

class TimeOrderedIdentifierFactoryTest {

    private static final Instant AT = Instant.parse("2026-12-02T18:45:12.345Z");

    @Test
    void aVersion7UuidWhoseFirst48BitsAreTheMillisecond() {
        UUID id = new TimeOrderedIdentifierFactory(Clock.fixed(AT, ZoneOffset.UTC)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", AT.toEpochMilli() >>> 16,
                AT.toEpochMilli() & 0xFFFF));
    }

    @Test
    void identifiersOfOneMillisecondAllDiffer() {
        TimeOrderedIdentifierFactory factory = new TimeOrderedIdentifierFactory(Clock.fixed(AT, ZoneOffset.UTC));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(factory.generateIdentifier());
        }

        assertThat(ids).hasSize(200_000);
    }

    @Test
    void aLaterMillisecondsIdentifiersSortAfterAnEarlierOnesAsText() {
        TimeOrderedIdentifierFactory factory = new TimeOrderedIdentifierFactory(new TickingClock(AT));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            made.add(factory.generateIdentifier());
        }

        // the text is what the event store's index compares
        assertThat(made).isSorted();
        assertThat(UUID.fromString(made.get(4_999)).getMostSignificantBits() >>> 16)
                .isEqualTo(AT.toEpochMilli() + 4_999);
    }

    @Test
    void axonMakesEveryMessageIdentifierWithIt() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifierFactory.class);

        long before = System.currentTimeMillis();
        String eventId = new GenericDomainEventMessage<>("Contact", "c-1", 0, "payload").getIdentifier();
        long after = System.currentTimeMillis();

        UUID id = UUID.fromString(eventId);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    /** A clock one millisecond further on each time it is read. */
    private static final class TickingClock extends Clock {

        private long millis;

        TickingClock(Instant start) {
            this.millis = start.toEpochMilli();
        }

        @Override
        public long millis() {
            return millis++;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
