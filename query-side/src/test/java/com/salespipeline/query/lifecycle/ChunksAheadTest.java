package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Chunks made on another thread come out in order, kept items only, a failure in its place, and close stops it. */
class ChunksAheadTest {

    @Test
    void theKeptItemsComeOutInOrderInChunksOfTheSizeGiven() {
        List<List<Integer>> chunks = new ArrayList<>();
        try (ChunksAhead<Integer> ahead = new ChunksAhead<>(IntStream.range(0, 11).iterator(), i -> i % 2 == 0, 2,
                "test-chunks")) {
            ahead.forEachRemaining(chunks::add);
        }

        assertThat(chunks).containsExactly(List.of(0, 2), List.of(4, 6), List.of(8, 10));
    }

    @Test
    void anEmptySourceGivesNoChunk() {
        try (ChunksAhead<Integer> ahead = new ChunksAhead<>(List.<Integer>of().iterator(), i -> true, 5, "test-chunks")) {
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void aFailureOfTheSourceIsThrownAfterTheChunksBeforeIt() {
        Iterator<Integer> failing = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 5) {
                    throw new IllegalStateException("spilled file unreadable");
                }
                return next++;
            }
        };
        try (ChunksAhead<Integer> ahead = new ChunksAhead<>(failing, i -> true, 2, "test-chunks")) {
            assertThat(ahead.next()).containsExactly(0, 1);
            assertThat(ahead.next()).containsExactly(2, 3);
            assertThatThrownBy(ahead::hasNext).isInstanceOf(IllegalStateException.class)
                    .hasMessage("spilled file unreadable");
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void closingStopsTheThreadBeforeItReadsTheWholeSource() throws InterruptedException {
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return read.incrementAndGet();
            }
        };
        ChunksAhead<Integer> ahead = new ChunksAhead<>(endless, i -> true, 10, "test-chunks");
        assertThat(ahead.next()).hasSize(10);

        ahead.close();
        int readWhenClosed = read.get();
        Thread.sleep(200);

        // at most the chunks it may hold ahead, and nothing after close returned
        assertThat(readWhenClosed).isLessThanOrEqualTo(10 * 4);
        assertThat(read.get()).isEqualTo(readWhenClosed);
    }
}
