package com.salespipeline.command.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BusinessTimeTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(5);

    private final BusinessTime time = new BusinessTime(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

    @Test
    void withoutARequestedTimeItIsNow() {
        assertThat(time.resolve(null, null)).isEqualTo(NOW);
    }

    @Test
    void withoutARequestedTimeItIsNowAlsoAfterAPastEvent() {
        assertThat(time.resolve(null, NOW.minusSeconds(3600))).isEqualTo(NOW);
    }

    @Test
    void withoutARequestedTimeAPreviousEventSlightlyAheadOfTheClockIsNotUndercut() {
        Instant previous = NOW.plusSeconds(3);

        assertThat(time.resolve(null, previous)).isEqualTo(previous);
    }

    @Test
    void nowIsTruncatedToMilliseconds() {
        BusinessTime fine = new BusinessTime(Clock.fixed(NOW.plusNanos(1_234_567), ZoneOffset.UTC), SKEW);

        assertThat(fine.resolve(null, null)).isEqualTo(NOW.plusMillis(1));
    }

    @Test
    void aPastTimeIsKept() {
        Instant requested = Instant.parse("2025-11-05T08:30:00Z");

        assertThat(time.resolve(requested, null)).isEqualTo(requested);
    }

    @Test
    void aTimeWithinTheSkewIsAccepted() {
        assertThat(time.resolve(NOW.plus(SKEW), null)).isEqualTo(NOW.plus(SKEW));
    }

    @Test
    void aTimeBeyondTheSkewIsRefused() {
        assertThatThrownBy(() -> time.resolve(NOW.plus(SKEW).plusMillis(1), null))
                .isInstanceOfSatisfying(OccurredAtRefused.class,
                        refused -> assertThat(refused.code()).isEqualTo("occurred-at-in-future"));
    }

    @Test
    void aTimeBeforeThePreviousEventIsRefused() {
        Instant previous = NOW.minusSeconds(60);

        assertThatThrownBy(() -> time.resolve(previous.minusMillis(1), previous))
                .isInstanceOfSatisfying(OccurredAtRefused.class,
                        refused -> assertThat(refused.code()).isEqualTo("occurred-at-before-previous-event"));
    }

    @Test
    void aTimeEqualToThePreviousEventIsAccepted() {
        Instant previous = NOW.minusSeconds(60);

        assertThat(time.resolve(previous, previous)).isEqualTo(previous);
    }

    @Test
    void theFirstInstantOfYearOneIsAccepted() {
        assertThat(time.resolve(Instant.parse("0001-01-01T00:00:00Z"), null)).isEqualTo(BusinessTime.EARLIEST);
    }

    @Test
    void aTimeBeforeYearOneIsRefused() {
        assertThatThrownBy(() -> time.resolve(Instant.parse("-300000-01-01T00:00:00Z"), null))
                .isInstanceOfSatisfying(OccurredAtRefused.class,
                        refused -> assertThat(refused.code()).isEqualTo("occurred-at-before-earliest"));
        assertThatThrownBy(() -> time.resolve(BusinessTime.EARLIEST.minusNanos(1), null))
                .isInstanceOf(OccurredAtRefused.class);
    }
}
