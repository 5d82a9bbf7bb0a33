package com.salespipeline.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

/**
 * Where the history ends is asked on a thread of its own and given up on after a while, without interrupting that
 * thread: on H2 an interrupt in the middle of a file read closes the database's file channel for every session.
 */
class ReplayHeadTest {

    @Test
    void aHeadThatDoesNotAnswerInTimeRefusesTheReplayAndLeavesItsThreadUninterrupted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        StreamableMessageSource<TrackedEventMessage<?>> slow = new Source() {
            @Override
            public TrackingToken createHeadToken() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
                answered.countDown();
                return new GlobalSequenceTrackingToken(7);
            }
        };

        assertThatThrownBy(() -> ReplayService.headOf(slow, 200)).isInstanceOf(HistoryUnavailable.class)
                .hasMessageContaining("did not answer");
        release.countDown();

        assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void aHeadThatAnswersIsTheReplaysEnd() {
        Source quick = new Source() {
            @Override
            public TrackingToken createHeadToken() {
                return new GlobalSequenceTrackingToken(42);
            }
        };

        assertThat(ReplayService.headOf(quick, 5_000)).isEqualTo(new GlobalSequenceTrackingToken(42));
    }

    private abstract static class Source implements StreamableMessageSource<TrackedEventMessage<?>> {

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            throw new UnsupportedOperationException("only the head is asked for");
        }

        @Override
        public TrackingToken createTailToken() {
            return null;
        }

        @Override
        public TrackingToken createTokenAt(java.time.Instant dateTime) {
            return null;
        }
    }
}
