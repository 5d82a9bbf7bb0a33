package com.salespipeline.query.kafka;

import com.salespipeline.common.kafka.EventTopic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Whether the events topic exists with its partitions, created if it is missing. A consumer that opens before the
 * topic exists is assigned no partitions and would never see an event, so the projections' stream waits for it
 * ({@link TopicGuardedKafkaSource}). The query side no longer waits for it to start: with the cluster down it
 * starts all the same and serves its read model as it stands (it refused to start, serving nothing for the whole
 * outage), and the projections follow the topic once the cluster answers.
 */
@Component
@ConditionalOnProperty(name = "axon.kafka.fetcher.enabled", havingValue = "true", matchIfMissing = true)
class EventTopicReadiness {

    private static final Logger log = LoggerFactory.getLogger(EventTopicReadiness.class);

    private final String bootstrapServers;
    private final String topic;
    private final int partitions;
    private final short replicationFactor;
    private volatile boolean ready;

    EventTopicReadiness(@Value("${axon.kafka.bootstrap-servers}") String bootstrapServers,
                        @Value("${axon.kafka.default-topic}") String topic,
                        @Value("${pipeline.kafka.partitions:3}") int partitions,
                        @Value("${pipeline.kafka.replication-factor:1}") short replicationFactor,
                        @Value("${pipeline.kafka.startup-timeout:10s}") Duration startupTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        if (!ready(startupTimeout)) {
            log.warn("Kafka at {} did not answer within {}: the query side serves its read model as it stands, and"
                    + " its projections follow the topic {} once the cluster answers", bootstrapServers,
                    startupTimeout, topic);
        }
    }

    /** True once the topic is known to be there; until then asks the cluster, for at most {@code timeout}. */
    boolean ready(Duration timeout) {
        if (!ready) {
            ready = EventTopic.ensure(bootstrapServers, topic, partitions, replicationFactor, timeout);
        }
        return ready;
    }

    String topic() {
        return topic;
    }
}
