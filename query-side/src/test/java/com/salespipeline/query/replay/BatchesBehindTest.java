package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesBehindTest {

    @Test
    void theConsumerTakesEveryBatchInOrderOnAThreadOfItsOwn() {
        List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (BatchesBehind<Integer> behind = new BatchesBehind<>(item -> {
            taken.add(item);
            threads.add(Thread.currentThread().getName());
        }, "test-behind")) {
            for (int batch = 0; batch < 50; batch++) {
                behind.accept(IntStream.range(batch * 10, batch * 10 + 10).boxed().toList());
            }
            behind.finish();
            assertThat(taken).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        }
        assertThat(threads).containsOnly("test-behind");
    }

    @Test
    void aFailureOfTheConsumerReachesTheCallerAndNoLaterBatchIsTaken() {
        List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
        try (BatchesBehind<Integer> behind = new BatchesBehind<>(item -> {
            if (item == 13) {
                throw new IllegalStateException("cannot add up 13");
            }
            taken.add(item);
        }, "test-behind")) {
            assertThatThrownBy(() -> {
                for (int batch = 0; batch < 100; batch++) {
                    behind.accept(IntStream.range(batch * 10, batch * 10 + 10).boxed().toList());
                }
                behind.finish();
            }).hasMessage("cannot add up 13");
            assertThatThrownBy(behind::finish).as("and again when asked again").hasMessage("cannot add up 13");
        }
        assertThat(taken).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void closingWaitsForTheBatchInHandAlsoWhenTheCallerIsInterrupted() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        BatchesBehind<Integer> behind = new BatchesBehind<>(item -> {
            started.countDown();
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            finished.set(true);
        }, "test-behind");
        behind.accept(List.of(1));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Thread.currentThread().interrupt();
        try {
            behind.close();
            assertThat(finished).as("the batch ended before close returned").isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
