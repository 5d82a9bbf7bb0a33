package com.salespipeline.query.freshness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CatchUpTest {

    /** A read model that applies everything stored once it has been asked to look {@code looksNeeded} times. */
    static class FakeProgress implements ReadModelProgress {
        final AtomicLong stored = new AtomicLong(-1);
        final AtomicLong applied = new AtomicLong(-1);
        final AtomicInteger looks = new AtomicInteger();
        final AtomicBoolean following = new AtomicBoolean(true);
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
        public boolean following() {
            return following.get();
        }

        @Override
        public void lookNow() {
            if (looks.incrementAndGet() >= looksNeeded) {
                applied.set(stored.get());
            }
        }
    }

    @Test
    void aReadModelThatHoldsEveryStoredEventIsNotAskedToLook() {
        FakeProgress progress = new FakeProgress(1);
        progress.stored.set(41);
        progress.applied.set(41);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isTrue();
        assertThat(progress.looks).hasValue(0);
    }

    @Test
    void anEmptyStoreNeedsNoWait() {
        FakeProgress progress = new FakeProgress(1);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isTrue();
        assertThat(progress.looks).hasValue(0);
    }

    @Test
    void aReadModelBehindIsAskedToLookAndWaitedFor() {
        FakeProgress progress = new FakeProgress(1);
        progress.stored.set(7);
        progress.applied.set(3);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isTrue();
        assertThat(progress.applied).hasValue(7);
        assertThat(progress.looks).hasValue(1);
    }

    @Test
    void aReadModelThatMissedTheFirstCallIsAskedAgain() {
        FakeProgress progress = new FakeProgress(3);
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isTrue();
        assertThat(progress.looks.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void eventsStoredAfterTheWaitBeganAreNotWaitedFor() {
        FakeProgress progress = new FakeProgress(1) {
            @Override
            public void lookNow() {
                applied.set(stored.get());
                stored.addAndGet(10);
            }
        };
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isTrue();
        assertThat(progress.applied).hasValue(7);
    }

    @Test
    void aReadModelThatCannotCatchUpIsGivenUpOnAfterTheTimeout() {
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE);
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofMillis(100), 4).await()).isFalse();
        assertThat(progress.applied).hasValue(-1);
    }

    @Test
    void aReadModelThatIsNotFollowingTheHistoryIsNotWaitedFor() {
        FakeProgress progress = new FakeProgress(1);
        progress.stored.set(7);
        progress.following.set(false);

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isFalse();
        assertThat(progress.looks).hasValue(0);
    }

    @Test
    @Timeout(60) // without the check, the wait would last its five minutes
    void aReadModelThatStopsWhileWaitedForIsGivenUpOn() {
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE) {
            @Override
            public void lookNow() {
                following.set(false);
            }
        };
        progress.stored.set(7);

        assertThat(new CatchUp(progress, Duration.ofMinutes(5), 4).await()).isFalse();
    }

    @Test
    void aStoreThatCannotBeReadCountsAsBehind() {
        FakeProgress progress = new FakeProgress(1) {
            @Override
            public long storedHead() {
                throw new IllegalStateException("database unreachable");
            }
        };

        assertThat(new CatchUp(progress, Duration.ofSeconds(5), 4).await()).isFalse();
    }

    @Test
    @Timeout(60)
    void aThreadInterruptedAlreadyIsRefusedBeforeTheStoreIsRead() {
        AtomicBoolean storeRead = new AtomicBoolean();
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE) {
            @Override
            public long storedHead() {
                storeRead.set(true);
                return super.storedHead();
            }
        };
        progress.stored.set(7);
        CatchUp catchUp = new CatchUp(progress, Duration.ofMinutes(5), 4);

        Thread.currentThread().interrupt();
        Throwable refused = catchThrowable(catchUp::await);

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(refused).isInstanceOf(ReadInterrupted.class);
        assertThat(storeRead).as("the store was not read").isFalse();
    }

    @Test
    @Timeout(60)
    void aWaitInterruptedIsRefusedAndKeepsTheInterrupt() throws Exception {
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE);
        progress.stored.set(7);
        CatchUp catchUp = new CatchUp(progress, Duration.ofMinutes(5), 4);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        AtomicBoolean keptInterrupt = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            refused.complete(catchThrowable(catchUp::await));
            keptInterrupt.set(Thread.interrupted());
        });
        waiter.start();
        while (progress.looks.get() == 0) {
            Thread.sleep(1);
        }

        waiter.interrupt();

        assertThat(refused.get()).isInstanceOf(ReadInterrupted.class);
        waiter.join();
        assertThat(keptInterrupt).isTrue();
    }

    @Test
    @Timeout(60)
    void aReadModelThatEnoughRequestsWaitForAlreadyIsNotWaitedForByMore() throws Exception {
        AtomicBoolean catchUpWhenAsked = new AtomicBoolean();
        FakeProgress progress = new FakeProgress(Integer.MAX_VALUE) {
            @Override
            public void lookNow() {
                looks.incrementAndGet();
                if (catchUpWhenAsked.get()) {
                    applied.set(stored.get());
                }
            }
        };
        progress.stored.set(7);
        CatchUp catchUp = new CatchUp(progress, Duration.ofMinutes(5), 1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(catchUp::await);
        while (progress.looks.get() == 0) {
            Thread.sleep(1);
        }

        boolean second = catchUp.await();
        catchUpWhenAsked.set(true);

        assertThat(second).as("a second waiter is turned away").isFalse();
        assertThat(first.get()).as("the first caught up once the read model did").isTrue();
        progress.stored.set(9);
        assertThat(catchUp.await()).as("the first waiter's place is free again").isTrue();
    }
}
