package com.salespipeline.query.kafka;

import java.time.Duration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;

/**
 * Axon's Kafka source, opening a stream only once the events topic exists: until then opening fails, and the
 * tracking processor retries it as it retries any failure (after 1, 2, 4 ... at most 60 s).
 */
final class TopicGuardedKafkaSource<K, V> extends StreamableKafkaMessageSource<K, V> {

    private static final Duration ASKED_FOR_AT_MOST = Duration.ofSeconds(5);

    private final EventTopicReadiness topic;

    TopicGuardedKafkaSource(Builder<K, V> builder, EventTopicReadiness topic) {
        super(builder);
        this.topic = topic;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        if (!topic.ready(ASKED_FOR_AT_MOST)) {
            throw new IllegalStateException("the events topic " + topic.topic() + " is not reachable yet;"
                    + " the projections follow it once the Kafka cluster answers");
        }
        return super.openStream(trackingToken);
    }
}
