package com.salespipeline.query.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.SortedKafkaMessageBuffer;
import org.junit.jupiter.api.Test;

class ArrivalOrderBufferTest {

    private static final String TOPIC = "events";

    /**
     * One poll as Axon's fetcher converts it: partition 0's records, then partition 1's, each given a token of every
     * partition's position so far. Partition 1's records are older, as a partition that fell behind's would be.
     */
    private static List<KafkaEventMessage> onePoll() {
        List<KafkaEventMessage> fetched = new ArrayList<>();
        KafkaTrackingToken token = KafkaTrackingToken.emptyToken();
        for (int partition = 0; partition < 2; partition++) {
            for (long offset = 0; offset < 3; offset++) {
                token = token.advancedTo(TOPIC, partition, offset);
                long timestamp = (partition == 0 ? 300 : 100) + offset;
                fetched.add(new KafkaEventMessage(new GenericTrackedEventMessage<>(token,
                        GenericEventMessage.asEventMessage("p" + partition + "@" + offset)), partition, offset, timestamp));
            }
        }
        return fetched;
    }

    /** The records a reader's tokens claimed before it was handed them, as "partition@offset". */
    private static List<String> claimedAheadOfHandedOut(Buffer<KafkaEventMessage> buffer) throws InterruptedException {
        Map<Integer, Long> handedOut = new HashMap<>();
        List<String> claimedAhead = new ArrayList<>();
        while (!buffer.isEmpty()) {
            KafkaEventMessage record = buffer.take();
            handedOut.merge(record.partition(), record.offset(), Math::max);
            KafkaTrackingToken token = (KafkaTrackingToken) record.value().trackingToken();
            for (Map.Entry<TopicPartition, Long> claimed : token.getPositions().entrySet()) {
                if (claimed.getValue() > handedOut.getOrDefault(claimed.getKey().partition(), -1L)) {
                    claimedAhead.add(claimed.getKey().partition() + "@" + claimed.getValue());
                }
            }
        }
        return claimedAhead;
    }

    @Test
    void eachRecordsTokenClaimsOnlyRecordsHandedOutBeforeIt() throws InterruptedException {
        ArrivalOrderBuffer buffer = new ArrivalOrderBuffer(100);
        buffer.putAll(onePoll());

        assertThat(claimedAheadOfHandedOut(buffer)).isEmpty();
    }

    @Test
    void axonsSortedBufferHandsOutTokensThatClaimRecordsStillInIt() throws InterruptedException {
        // why this buffer exists: sorted by timestamp, partition 1's first record comes out first, with a token
        // claiming partition 0 up to offset 2; a processor storing it, or a replay taking it for its progress,
        // would skip partition 0's three records
        SortedKafkaMessageBuffer<KafkaEventMessage> sorted = new SortedKafkaMessageBuffer<>(100);
        sorted.putAll(onePoll());

        assertThat(claimedAheadOfHandedOut(sorted)).contains("0@2");
    }

    @Test
    void recordsComeOutInTheOrderTheyWentIn() throws InterruptedException {
        ArrivalOrderBuffer buffer = new ArrivalOrderBuffer(100);
        List<KafkaEventMessage> fetched = onePoll();
        buffer.putAll(fetched);

        assertThat(buffer.size()).isEqualTo(6);
        assertThat(buffer.peek()).isSameAs(fetched.get(0));
        List<KafkaEventMessage> taken = new ArrayList<>();
        for (int i = 0; i < fetched.size(); i++) {
            taken.add(buffer.poll(1, TimeUnit.SECONDS));
        }
        assertThat(taken).containsExactlyElementsOf(fetched);
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(buffer.peek()).isNull();
    }

    @Test
    void aFullBufferHoldsTheFetcherBackUntilARecordIsTaken() throws Exception {
        ArrivalOrderBuffer buffer = new ArrivalOrderBuffer(2);
        List<KafkaEventMessage> fetched = onePoll();
        buffer.put(fetched.get(0));
        buffer.put(fetched.get(1));
        assertThat(buffer.remainingCapacity()).isZero();

        FutureTask<Void> third = new FutureTask<>(() -> {
            buffer.put(fetched.get(2));
            return null;
        });
        awaitWaiting(started(third));
        assertThat(third).isNotDone();

        assertThat(buffer.take()).isSameAs(fetched.get(0));
        third.get(5, TimeUnit.SECONDS);
        assertThat(buffer.take()).isSameAs(fetched.get(1));
        assertThat(buffer.take()).isSameAs(fetched.get(2));
    }

    @Test
    void theFetchersFailureReachesTheReaderAlsoWhileItWaits() throws Exception {
        ArrivalOrderBuffer buffer = new ArrivalOrderBuffer(10);
        FutureTask<KafkaEventMessage> waiting = new FutureTask<>(() -> buffer.poll(30, TimeUnit.SECONDS));
        awaitWaiting(started(waiting));

        buffer.setException(new IllegalStateException("broker gone"));

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("broker gone");
        assertThatThrownBy(buffer::take).hasMessage("broker gone");
    }

    static Thread started(FutureTask<?> task) {
        Thread thread = new Thread(task, "buffer-user");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Until the thread waits inside the buffer: a fixed pause could end before a slow thread even got there. */
    static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).as("waiting in the buffer").isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
    }
}
