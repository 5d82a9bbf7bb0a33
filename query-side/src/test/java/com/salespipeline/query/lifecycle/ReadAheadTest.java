package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Items made on another thread come out in order, a failure in its place, and closing stops that thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAheadTest {

    private final String threadName = "test-read-ahead-" + UUID.randomUUID();

    private boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(threadName) && thread.isAlive());
    }

    /** Until the reading thread waits for the caller to take what it read ahead (a fixed pause might not get there). */
    private void awaitWaiting() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(thread -> thread.getName().equals(threadName)
                && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING))) {
            assertThat(System.currentTimeMillis()).as("the reading thread waits").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** A source that never ends, each item from {@code next}. */
    private static Iterator<Integer> endless(IntSupplier next) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return next.getAsInt();
            }
        };
    }

    /** 0, 1, ... up to {@code at}, where it throws {@code message}, and again at every later call. */
    private static Iterator<Integer> failingAt(int at, String message) {
        AtomicInteger next = new AtomicInteger();
        return endless(() -> {
            if (next.get() == at) {
                throw new IllegalStateException(message);
            }
            return next.getAndIncrement();
        });
    }

    @Test
    void everyItemComesOutOnceInOrder() {
        List<Integer> items = new ArrayList<>();
        try (ReadAhead<Integer> ahead = new ReadAhead<>(IntStream.range(0, 1_000).iterator(), threadName)) {
            ahead.forEachRemaining(items::add);
        }

        assertThat(items).containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
        assertThat(threadAlive()).isFalse();
    }

    @Test
    void anEmptySourceGivesNothing() {
        try (ReadAhead<Integer> ahead = new ReadAhead<>(List.<Integer>of().iterator(), threadName)) {
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void aFailureOfTheSourceIsThrownAfterTheItemsBeforeIt() {
        Iterator<Integer> failing = failingAt(3, "spilled file unreadable");
        try (ReadAhead<Integer> ahead = new ReadAhead<>(failing, threadName)) {
            assertThat(List.of(ahead.next(), ahead.next(), ahead.next())).containsExactly(0, 1, 2);
            assertThatThrownBy(ahead::hasNext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(threadName).hasRootCauseMessage("spilled file unreadable");
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void closingStopsTheThreadWhileTheSourceIsBlockedAndWhileItWaitsForTheCaller() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> blocking = endless(() -> {
            if (read.get() == 1) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("reading interrupted", e);
                }
            }
            return read.incrementAndGet();
        });
        ReadAhead<Integer> blocked = new ReadAhead<>(blocking, threadName);
        assertThat(blocked.next()).isEqualTo(1);
        blocked.close();
        assertThat(threadAlive()).isFalse();

        AtomicInteger made = new AtomicInteger();
        ReadAhead<Integer> waiting = new ReadAhead<>(endless(made::incrementAndGet), threadName);
        assertThat(waiting.next()).isEqualTo(1);
        awaitWaiting();
        waiting.close();
        assertThat(threadAlive()).isFalse();
        // at most the items it may hold ahead, and the one it was handing on
        assertThat(made.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void listsHoldEveryItemOnceInOrderTheLastOneShort() {
        List<List<Integer>> lists = new ArrayList<>();
        try (ReadAhead<List<Integer>> ahead = ReadAhead.inLists(IntStream.range(0, 1_003).iterator(), 10, threadName)) {
            ahead.forEachRemaining(lists::add);
        }

        assertThat(lists).hasSize(101).allSatisfy(list -> assertThat(list).isNotEmpty().hasSizeLessThanOrEqualTo(10));
        assertThat(lists.get(100)).containsExactly(1_000, 1_001, 1_002);
        assertThat(lists.stream().flatMap(List::stream)).containsExactlyElementsOf(
                IntStream.range(0, 1_003).boxed().toList());
        assertThat(threadAlive()).isFalse();
    }

    @Test
    void closingListsLetsTheSourceFinishTheItemItReadsUninterrupted() throws InterruptedException {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger read = new AtomicInteger();
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        Iterator<Integer> slow = endless(() -> {
            if (read.get() == 25) {
                reading.countDown();
                long until = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                interrupted.add(Thread.currentThread().isInterrupted());
            }
            return read.getAndIncrement();
        });
        ReadAhead<List<Integer>> ahead = ReadAhead.inLists(slow, 10, threadName);
        assertThat(ahead.next()).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        ahead.close();

        assertThat(threadAlive()).isFalse();
        assertThat(interrupted).containsExactly(false);
    }

    @Test
    void aFailureInTheMiddleOfAListComesAfterTheItemsReadBeforeIt() {
        Iterator<Integer> failing = failingAt(25, "connection lost");
        List<Integer> items = new ArrayList<>();
        try (ReadAhead<List<Integer>> ahead = ReadAhead.inLists(failing, 10, threadName)) {
            assertThatThrownBy(() -> ahead.forEachRemaining(items::addAll)).isInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("connection lost");
            assertThat(ahead.hasNext()).isFalse();
        }

        assertThat(items).containsExactlyElementsOf(IntStream.range(0, 25).boxed().toList());
        assertThat(threadAlive()).isFalse();
    }

    @Test
    void anEmptySourceGivesNoList() {
        try (ReadAhead<List<Integer>> ahead = ReadAhead.inLists(List.<Integer>of().iterator(), 10, threadName)) {
            assertThat(ahead.hasNext()).isFalse();
        }
        assertThat(threadAlive()).isFalse();
    }
}
