package com.salespipeline.query.freshness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CatchUpTest {

    /** A read model that applies everything stored once it has been asked to look {@code looksNeeded} times. */
    static class FakeProgress implements ReadModelProgress {
        final AtomicLong stored = new AtomicLong(-1);
        final AtomicLong applied = new AtomicLong(-1);
        final AtomicInteger looks = new AtomicInteger();
        final int looksNeeded;

        FakeProgress(int looksNeeded) {
            this.looksNeeded = looksNeeded;
        }

        @Override
        public long storedHead() {
            return stored.get();
        }

        @Override
        public long appliedPosition() {
            return applied.get();
        }

        @Override
        public void lookNow() {
            if (looks.incrementAndGet() >= looksNeeded) {
                applied.set(stored.get());
            }
        }
    }

    @Test
    void aReadModelThatHoldsEveryStoredEventIsNotAskedToLook() throws InterruptedException {
        FakeProgress progress = new FakeProgress(1);
        progress.stored.set(41);
        progress.applied.set(41);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5)).await()).isTrue();
        assertThat(progress.looks).hasValue(0);
    }

    @Test
    void anEmptyStoreNeedsNoWait() throws InterruptedException {
        FakeProgress progress = new FakeProgress(1);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5)).await()).isTrue();
        assertThat(progress.looks).hasValue(0);
    }

    @Test
    void aReadModelBehindIsAskedToLookAndWaitedFor() throws InterruptedException {
        FakeProgress progress = new FakeProgress(1);
        progress.stored.set(7);
        progress.applied.set(3);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5)).await()).isTrue();
        assertThat(progress.applied).hasValue(7);
        assertThat(progress.looks).hasValue(1);
    }

    @Test
    void aReadModelThatMissedTheFirstCallIsAskedAgain() throws InterruptedException {
        FakeProgress progress = new FakeProgress(3);
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5)).await()).isTrue();
        assertThat(progress.looks.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void eventsStoredAfterTheWaitBeganAreNotWaitedFor() throws InterruptedException {
        FakeProgress progress = new FakeProgress(1) {
            @Override
            public void lookNow() {
                applied.set(stored.get());
                stored.addAndGet(10);
            }
        };
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5)).await()).isTrue();
        assertThat(progress.applied).hasValue(7);
    }

    @Test
    void aReadModelThatCannotCatchUpIsGivenUpOnAfterTheTimeout() throws InterruptedException {
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE);
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofMillis(100)).await()).isFalse();
        assertThat(progress.applied).hasValue(-1);
    }
}
